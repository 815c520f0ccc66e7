// The demo (`darkscan demo`: the dark Higgsstrahlung search end to end) stage by stage, per
// backend, and how each stage scales with the simulated events and the number of windows:
//   npx vite-node bench/demo.ts -- [--backends wasm,cpu,webgpu] [--events 150000] [--scale-events 37500,75000]
//        [--steps 2] [--scale-steps 4] [--pe 100] [--out bench-demo.json]
// Every run is runSearch (engine/analyses/search.ts) with seed 1 at 8.34 fb^-1, its timing_s per
// stage (wall) and the process CPU time per stage and in all (on a shared machine the CPU time is
// what the wall time would be alone). --events is the cap per background sample (the demo's default
// 150000); --steps the window grid step in sigma (2: 8960 windows). The scaling rows rerun on the
// first backend at the other sizes; `exponent` per stage is log(t2/t1)/log(size2/size1) of the
// stage's CPU time between the smallest and the largest size (1: linear, 0: independent of it).
// Alongside: the generator alone, per process of the demo (events/s, host TypeScript).
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { createBackend, type Backend } from '../host/index.js';
import { runSearch } from '../engine/analyses/search.js';
import { DARK_HIGGSSTRAHLUNG } from '../engine/analyses/searches.js';
import { generate } from '../engine/generate/index.js';

interface Run { backend: string; events_per_background: number; step_sigma: number; windows: number; timing_s: Record<string, number>; cpu_s: number; cpu_stages_s: Record<string, number> }

/** The stage a progress message of runSearch opens (the data stage, silent and short, counts with select). */
const STAGE_OF: [RegExp, string][] = [
  [/^simulating/, 'backgrounds'], [/^training the MLP/, 'train_mlp'], [/^selecting events/, 'select'], [/^signal efficiency map/, 'signal_map'],
  [/^scanning/, 'scan'], [/^limits/, 'limits'], [/^look-elsewhere/, 'look_elsewhere'],
];

const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

async function once(label: string, b: Backend, events: number, step: number, pe: number): Promise<Run> {
  const c0 = process.cpuUsage();
  // CPU time per stage from runSearch's progress messages (process-wide: backend workers included);
  // on a loaded machine it is the time the stage would take alone, where timing_s (wall) is not.
  const cpuStages: Record<string, number> = {};
  let stage = 'backgrounds', since = cpuS(process.cpuUsage(c0));
  const progress = (m: string) => {
    const next = STAGE_OF.find(([re]) => re.test(m))?.[1];
    if (!next || next === stage) return;
    const now = cpuS(process.cpuUsage(c0));
    cpuStages[stage] = (cpuStages[stage] ?? 0) + now - since;
    (stage = next), (since = now);
  };
  const r = await runSearch(b, DARK_HIGGSSTRAHLUNG, { seed: 1, maxEventsPerBackground: events, pseudoExperiments: pe, grid: { step }, progress });
  const cpuAll = cpuS(process.cpuUsage(c0));
  cpuStages[stage] = (cpuStages[stage] ?? 0) + cpuAll - since;
  for (const k in cpuStages) cpuStages[k] = Math.round(cpuStages[k] * 1000) / 1000;
  const run: Run = { backend: label, events_per_background: events, step_sigma: step, windows: r.windows.length, timing_s: r.timing_s, cpu_s: cpuAll, cpu_stages_s: cpuStages };
  console.error(`${label.padEnd(8)} ${String(events).padStart(7)} ev/bg ${String(run.windows).padStart(6)} windows  total ${r.timing_s.total.toFixed(2)} s (cpu ${run.cpu_s.toFixed(2)} s): ` +
    Object.entries(r.timing_s).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v.toFixed(2)}${cpuStages[k] !== undefined ? ` (cpu ${cpuStages[k].toFixed(2)})` : ''}`).join(', '));
  return run;
}

/** Per stage, log(t2/t1)/log(size2/size1) from the CPU time of each stage. */
function exponents(a: Run, b: Run, size: (r: Run) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b.cpu_stages_s)) {
    const t1 = a.cpu_stages_s[k], t2 = b.cpu_stages_s[k];
    if (t1 > 0.005 && t2 > 0.005) out[k] = Math.round((Math.log(t2 / t1) / Math.log(size(b) / size(a))) * 100) / 100;
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      backends: { type: 'string', default: 'wasm,cpu' },
      events: { type: 'string', default: '150000' },
      'scale-events': { type: 'string', default: '37500' },
      steps: { type: 'string', default: '2' },
      'scale-steps': { type: 'string', default: '5.5' },
      pe: { type: 'string', default: '100' },
      'gen-events': { type: 'string', default: '20000' },
      out: { type: 'string' },
    },
  });
  const events = Number(values.events), step = Number(values.steps), pe = Number(values.pe);
  const runs: Run[] = [];
  const backends: { label: string; b: Backend }[] = [];
  for (const name of values.backends!.split(',')) {
    try {
      backends.push({ label: name, b: await createBackend(name as 'wasm' | 'cpu' | 'webgpu') });
    } catch (e) {
      console.error(`bench: ${name} not measured: ${(e as Error).message}`);
    }
  }
  // The generator alone (host TypeScript), per process of the demo.
  const gen: { process: string; events: number; cpu_s: number; events_per_s: number }[] = [];
  const nGen = Number(values['gen-events']);
  for (const p of ['mumu', 'tautau', 'eemumu', 'darkhiggs']) {
    const c0 = process.cpuUsage();
    generate({ process: p, events: nGen, seed: 1, params: p === 'mumu' ? { xMin: 0.09 } : {} });
    const c = cpuS(process.cpuUsage(c0));
    gen.push({ process: p, events: nGen, cpu_s: c, events_per_s: Math.round(nGen / c) });
    console.error(`generate ${p.padEnd(10)} ${nGen} events: ${c.toFixed(3)} s cpu (${Math.round(nGen / c)} events/s)`);
  }
  for (const { label, b } of backends) runs.push(await once(label, b, events, step, pe));
  const first = backends[0];
  const scaling: Record<string, unknown> = {};
  if (first) {
    const byEvents = [runs[0]];
    for (const n of values['scale-events']!.split(',').filter(Boolean).map(Number)) byEvents.push(await once(first.label, first.b, n, step, pe));
    byEvents.sort((a, b) => a.events_per_background - b.events_per_background);
    const byWindows = [runs[0]];
    for (const s of values['scale-steps']!.split(',').filter(Boolean).map(Number)) byWindows.push(await once(first.label, first.b, events, s, pe));
    byWindows.sort((a, b) => a.windows - b.windows);
    scaling.events = { backend: first.label, sizes: byEvents.map((r) => r.events_per_background), exponent: exponents(byEvents[0], byEvents.at(-1)!, (r) => r.events_per_background) };
    scaling.windows = { backend: first.label, sizes: byWindows.map((r) => r.windows), exponent: exponents(byWindows[0], byWindows.at(-1)!, (r) => r.windows) };
    runs.push(...byEvents.slice(1), ...byWindows.slice(1));
    console.error(`scaling with events per background (${first.label}): ${JSON.stringify(scaling.events)}`);
    console.error(`scaling with windows (${first.label}): ${JSON.stringify(scaling.windows)}`);
  }
  for (const { b } of backends) await b.dispose();
  const out = { format: 'darkscan-bench-demo/1', search: DARK_HIGGSSTRAHLUNG.name, seed: 1, generator: gen, runs, scaling };
  const text = JSON.stringify(out, null, 1);
  if (values.out) writeFileSync(values.out, text);
  else console.log(text);
}

if (import.meta.url.endsWith('/bench/demo.ts') && typeof process !== 'undefined') await main();
