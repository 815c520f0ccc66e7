// Times scenarios per backend after warm-up; the same code runs in Node and in the browser.
import type { Backend } from '../host/backend.js';

export interface Scenario {
  readonly name: string;
  /** What one run processes, for throughput: e.g. { unit: 'u32 words', amount: 4e6 }. */
  readonly unit: string;
  readonly amount: number;
  /** Prepares inputs once per backend and returns the timed step. */
  setup(backend: Backend): Promise<() => Promise<unknown>>;
}

export interface Timing {
  scenario: string;
  backend: string;
  details: Record<string, unknown>;
  reps: number;
  median_s: number;
  min_s: number;
  max_s: number;
  unit: string;
  amount: number;
  throughput_per_s: number;
  ratio_to_cpu?: number;
}

export interface BenchReport {
  schema: 'darkscan-bench/1';
  started: string;
  environment: Record<string, unknown>;
  results: Timing[];
}

const now = (): number => (globalThis.performance ?? { now: () => Date.now() }).now() / 1000;

export async function timeScenario(s: Scenario, b: Backend, opts: { warmup: number; reps: number; maxSeconds?: number }): Promise<Timing> {
  const step = await s.setup(b);
  for (let i = 0; i < opts.warmup; i++) await step();
  const times: number[] = [];
  const budgetEnd = now() + (opts.maxSeconds ?? Infinity);
  for (let i = 0; i < opts.reps; i++) {
    const t0 = now();
    await step();
    times.push(now() - t0);
    if (now() > budgetEnd && times.length >= 3) break;
  }
  times.sort((x, y) => x - y);
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  return {
    scenario: s.name,
    backend: b.name,
    details: b.info().details as Record<string, unknown>,
    reps: times.length,
    median_s: median,
    min_s: times[0],
    max_s: times[times.length - 1],
    unit: s.unit,
    amount: s.amount,
    throughput_per_s: s.amount / median,
  };
}

/** Runs every scenario on every backend, then adds each result's speed ratio to the cpu reference. */
export async function runBench(
  scenarios: readonly Scenario[],
  backends: readonly { label: string; backend: Backend }[],
  opts: { warmup: number; reps: number; maxSeconds?: number; environment?: Record<string, unknown>; log?: (s: string) => void },
): Promise<BenchReport> {
  const results: Timing[] = [];
  for (const s of scenarios) {
    const group: Timing[] = [];
    for (const { label, backend } of backends) {
      const t = await timeScenario(s, backend, opts);
      t.backend = label;
      group.push(t);
      opts.log?.(`${s.name} on ${label}: median ${(t.median_s * 1e3).toFixed(2)} ms, ${t.throughput_per_s.toExponential(3)} ${s.unit}/s`);
    }
    const ref = group.find((t) => t.backend === 'cpu');
    if (ref) for (const t of group) t.ratio_to_cpu = t.throughput_per_s / ref.throughput_per_s;
    results.push(...group);
  }
  return { schema: 'darkscan-bench/1', started: new Date().toISOString(), environment: opts.environment ?? {}, results };
}
