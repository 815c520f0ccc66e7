// `npm run bench [-- --scenario philox --reps 9 --out bench.json]`: every backend on this machine.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createBackend, type Backend } from '../host/index.js';
import { runBench } from './runner.js';
import { SCENARIOS } from './scenarios.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'philox' },
    reps: { type: 'string', default: '9' },
    warmup: { type: 'string', default: '2' },
    size: { type: 'string' },
    out: { type: 'string' },
  },
});
const make = SCENARIOS[values.scenario as keyof typeof SCENARIOS];
if (!make) throw new Error(`unknown scenario '${values.scenario}' (have: ${Object.keys(SCENARIOS).join(', ')})`);
const scenario = make(values.size ? Number(values.size) : undefined);

const backends: { label: string; backend: Backend }[] = [{ label: 'cpu', backend: await createBackend('cpu') }];
const threads = os.availableParallelism();
backends.push({ label: 'wasm-scalar x1', backend: await createBackend('wasm', { wasm: { flavor: 'scalar', workers: 1 } }) });
backends.push({ label: 'wasm-simd x1', backend: await createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } }) });
backends.push({ label: `wasm-simd x${threads}`, backend: await createBackend('wasm', { wasm: { flavor: 'simd', workers: threads } }) });
try {
  backends.push({ label: 'webgpu', backend: await createBackend('webgpu') });
} catch (e) {
  console.error(`bench: WebGPU not measured: ${(e as Error).message}`);
}
const report = await runBench([scenario], backends, {
  warmup: Number(values.warmup),
  reps: Number(values.reps),
  maxSeconds: 30,
  environment: { node: process.version, cpus: os.cpus()[0]?.model, threads, platform: `${process.platform}-${process.arch}` },
  log: (s) => console.error(s),
});
const json = JSON.stringify(report, null, 2);
if (values.out) writeFileSync(values.out, json);
console.log(json);
for (const { backend } of backends) await backend.dispose();
