// Event generation throughput of the generator kernels' processes (gen_dimuon: mumu with the demo's xMin = 0.09
// skim, darkhiggs at mA = 4, mh = 2, zp_inv at mZp = 3; gen_eemumu: eemumu with its tail bias; gen_fourtrack: tautau_1x3, zp_tautau_1p at mX = 5, mumutautau;
// gen_bdecay: b2ks_mumu at mS = 1.5, c tau = 2 cm, b_ka_gg at ma = 2, b_kgg_comb in the K*+ mode; gen_fourmuon: zp_mumu
// at mZp = 3, mumumumu, zp_tautau at mZp = 5; gen_photons: gammagamma, eegamma, gamma_alp at ma = 1, gamma_aprime_inv at mA = 4; gen_tautau: tautau):
// the kernel (f32, kernels/gen_*) on each backend against the f64 host generator it replaced (test/f64-*.ts through generateHost:
// Philox, physics and detector in host TypeScript), in the same run:
//   npx vite-node bench/generate.ts -- [--events 200000] [--backends wasm,cpu] [--workers 1,2] [--processes mumu,...] [--out bench-generate.json]
// Rows: events/s (generated, all events) from the best of 3 repetitions, wall and process CPU time
// (on a shared machine the CPU time is what the wall time would be alone; with N workers it sums
// their threads), and the ratio to the f64 host generator of the same process.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { createBackend, WasmBackend, type Backend } from '../host/index.js';
import { generate, generateHost, generateOn, type EventSample } from '../engine/generate/index.js';
import { f64Def } from '../test/f64-dimuon.js';
import { f64FourtrackDef, recoFourtrack } from '../test/f64-fourtrack.js';
import { f64Def as f64Bdecay } from '../test/f64-bdecay.js';
import { f64FourmuonDef, recoFourmuon } from '../test/f64-fourmuon.js';
import { f64Def as f64Photons, recoPhotons } from '../test/f64-photons.js';
import { f64TautauDef } from '../test/f64-tautau.js';
import { f64EemumuDef } from '../test/f64-eemumu.js';

const { values: a } = parseArgs({
  args: process.argv.slice(2).filter((x) => x !== '--'),
  options: {
    events: { type: 'string', default: '200000' }, backends: { type: 'string', default: 'wasm,cpu' }, workers: { type: 'string', default: '1,2' }, out: { type: 'string' },
    processes: { type: 'string', default: 'mumu,darkhiggs,zp_inv,eemumu,tautau_1x3,zp_tautau_1p,mumutautau,b2ks_mumu,b_ka_gg,b_kgg_comb,zp_mumu,mumumumu,gammagamma,eegamma,gamma_alp,gamma_aprime_inv,zp_tautau,tautau' },
  },
});
const N = Number(a.events);
const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

interface Row { process: string; generator: string; events: number; kept: number; wall_s: number; cpu_s: number; events_per_s: number; ratio_to_f64?: number }

async function best(label: string, proc: string, f: () => EventSample | Promise<EventSample>): Promise<Row> {
  let row: Row | null = null;
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    const s = await f();
    const wall = (performance.now() - t0) / 1000, cpu = cpuS(process.cpuUsage(c0));
    if (!row || wall < row.wall_s) row = { process: proc, generator: label, events: N, kept: s.length, wall_s: wall, cpu_s: cpu, events_per_s: N / wall };
  }
  console.error(`${proc.padEnd(10)} ${label.padEnd(34)} ${(row!.events_per_s / 1e6).toFixed(3)} M events/s (wall ${row!.wall_s.toFixed(3)} s, cpu ${row!.cpu_s.toFixed(3)} s, kept ${row!.kept})`);
  return row!;
}

const rows: Row[] = [];
const backends: [string, Backend][] = [];
for (const name of a.backends!.split(',')) {
  if (name === 'wasm') for (const w of a.workers!.split(',').map(Number)) backends.push([`wasm (${w} worker${w > 1 ? 's' : ''})`, await WasmBackend.create({ workers: w })]);
  else backends.push([name, await createBackend(name as 'cpu')]);
}
const PARAMS: Record<string, Record<string, number>> = { mumu: { xMin: 0.09 }, darkhiggs: { mA: 4, mh: 2 }, zp_inv: { mZp: 3 }, eemumu: {}, tautau_1x3: {}, zp_tautau_1p: { mX: 5 }, mumutautau: {},
  b2ks_mumu: { mS: 1.5, ctauCm: 2 }, b_ka_gg: { ma: 2 }, b_kgg_comb: { mode: 3 }, zp_mumu: { mZp: 3 }, mumumumu: {},
  gammagamma: {}, eegamma: {}, gamma_alp: { ma: 1 }, gamma_aprime_inv: { mA: 4 }, zp_tautau: { mZp: 5 }, tautau: {} };
const F64: Record<string, (p: string) => ReturnType<typeof f64Def>> = { mumu: f64Def, darkhiggs: f64Def, zp_inv: f64Def, eemumu: f64EemumuDef, tautau_1x3: f64FourtrackDef, zp_tautau_1p: f64FourtrackDef, mumutautau: f64FourtrackDef,
  b2ks_mumu: (p) => f64Bdecay(p).def, b_ka_gg: (p) => f64Bdecay(p).def, b_kgg_comb: (p) => f64Bdecay(p).def, zp_mumu: f64FourmuonDef, mumumumu: f64FourmuonDef,
  gammagamma: f64Photons, eegamma: f64Photons, gamma_alp: f64Photons, gamma_aprime_inv: f64Photons, zp_tautau: f64FourmuonDef, tautau: () => f64TautauDef() };
/** The family reconstruction of a host cross-check whose family has none in engine/ (test/f64-bdecay.ts, test/f64-photons.ts, test/f64-fourmuon.ts, test/f64-fourtrack.ts). */
const RECO = (p: string) => (p in { b2ks_mumu: 1, b_ka_gg: 1, b_kgg_comb: 1 } ? f64Bdecay(p).reco : p in { gammagamma: 1, eegamma: 1, gamma_alp: 1, gamma_aprime_inv: 1 } ? recoPhotons
  : p in { zp_mumu: 1, mumumumu: 1, zp_tautau: 1 } ? recoFourmuon : p in { tautau_1x3: 1, zp_tautau_1p: 1, mumutautau: 1 } ? recoFourtrack : undefined);
for (const proc of a.processes!.split(',')) {
  if (!PARAMS[proc]) throw new Error(`bench/generate: no kernel process ${proc} (known: ${Object.keys(PARAMS).join(', ')})`);
  const o = { process: proc, params: PARAMS[proc], events: N, seed: 1 };
  const host = await best('f64 host (replaced)', proc, () => generateHost(F64[proc](proc), o, RECO(proc)));
  rows.push(host);
  rows.push(await best('kernel, TS reference (generate)', proc, () => generate(o)));
  for (const [label, b] of backends) rows.push(await best(`kernel on ${label}`, proc, () => generateOn(b, o)));
  for (const r of rows) if (r.process === proc) r.ratio_to_f64 = Math.round((r.events_per_s / host.events_per_s) * 100) / 100;
}
for (const [, b] of backends) b.dispose?.();
console.error('ratio to the f64 host generator: ' + rows.map((r) => `${r.process} ${r.generator}: ${r.ratio_to_f64}`).join('; '));
if (a.out) writeFileSync(a.out, JSON.stringify({ events: N, rows }, null, 2));
