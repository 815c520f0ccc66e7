// The benchmark page: bench/browser.ts on the scenario picked, a table, and the JSON report.
import { runBrowserBench, type BrowserBenchOptions } from '../bench/browser.js';
import { SCENARIOS } from '../bench/scenarios.js';
import type { BenchReport } from '../bench/runner.js';

const $ = (id: string) => document.getElementById(id)!;
let last: BenchReport | undefined;

function table(r: BenchReport): void {
  const rows = r.results.map((t) =>
    `<tr><td>${t.backend}</td><td>${t.scenario}</td><td>${(t.median_s * 1e3).toFixed(2)}</td><td>${t.throughput_per_s.toExponential(3)} ${t.unit}/s</td><td>${t.ratio_to_cpu?.toFixed(2) ?? ''}</td><td>${t.reps}</td></tr>`);
  $('table').innerHTML = `<tr><th>backend</th><th>scenario</th><th>median ms</th><th>throughput</th><th>× cpu</th><th>reps</th></tr>${rows.join('')}`;
}

async function run(o: BrowserBenchOptions = {}): Promise<BenchReport> {
  const size = Number(($('size') as HTMLInputElement).value);
  const opts: BrowserBenchOptions = {
    scenario: ($('scenario') as HTMLSelectElement).value,
    size: size > 0 ? size : undefined,
    reps: Number(($('reps') as HTMLInputElement).value) || 9,
    ...o,
    log: (s) => {
      $('log').textContent += s + '\n';
      $('status').textContent = s;
    },
  };
  $('status').textContent = `running ${opts.scenario}…`;
  ($('run') as HTMLButtonElement).disabled = true;
  try {
    last = await runBrowserBench(opts);
    table(last);
    $('json').textContent = JSON.stringify(last, null, 2);
    ($('download') as HTMLButtonElement).disabled = false;
    $('status').textContent = 'done';
    return last;
  } catch (e) {
    $('status').textContent = `error: ${(e as Error).message}`;
    throw e;
  } finally {
    ($('run') as HTMLButtonElement).disabled = false;
  }
}

const sel = $('scenario') as HTMLSelectElement;
for (const k of Object.keys(SCENARIOS)) sel.add(new Option(k, k));
$('run').addEventListener('click', () => void run().catch(() => {}));
$('download').addEventListener('click', () => {
  if (!last) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([JSON.stringify(last, null, 2)], { type: 'application/json' }));
  a.download = 'darkscan-bench-browser.json';
  a.click();
});
// For scripts and tests: darkscanBench.run({ scenario, size, reps, warmup, only }).
Object.assign(globalThis, { darkscanBench: { run } });
