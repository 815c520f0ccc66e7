// Toys with fits per second (issue 14, item 6): one toy = one pseudo-experiment with its two fits
// (POI fixed at mu = 1 and free), q~_mu, through runToys (the toyfit kernel) per backend, beside
// pyhf's toybased hypotest (bench/pyhf_peer.py --ntoys: numpy backend, scipy optimizer) on the same
// workspace in the same run. Workspaces: the one-bin shapesys of pyhf's validation set, the
// 10-bin / 3-channel LLP workspace (test/fixtures/pyhf/workspaces/llp_3ch_10bin.json) and an
// illustrative 50-bin / 20-parameter workspace built here (normsys, histosys, lumi, a free
// background normalisation; written to a temporary file for pyhf).
//
//   npx vite-node bench/toys_fit.ts -- [--toys 2000] [--backends wasm-simd-all,wasm-simd,cpu,webgpu]
//        [--workspaces 1bin,10bin,50bin,patchset] [--pyhf-toys 20] [--no-pyhf] [--out FILE.json]
//        [--patches 1000] [--patch-toys 1000] [--pyhf-patches 2]
//
// Like pyhf, toys are drawn at the fixed-POI fits to the observed data (mu = 1 for s+b, 0 for b-only):
// two toy sets of --toys toys each, both tested at mu = 1; toys/s counts both sets.
//
// `--workspaces patchset`: the illustrative mass-scan patchset (bench/workspaces.ts: --patches P patches
// of 15 + 3 bins) x --patch-toys K toys per hypothesis through the production path of
// `darkscan cls --calculator toys` (engine/likelihood/toycls.ts: the fits to the observed data of
// every patch, then one runToys per block over all 2 P sets; the observed fits timed apart); pyhf
// runs its toybased hypotest on the first --pyhf-patches patches (its rate is per toy).
import { readFileSync } from 'node:fs';
import type { Backend } from '../host/index.js';
import { perBackend, pyhfPeer } from './backends.js';
import { workspace50 } from './workspaces.js';
import { packFitModels, runFits } from '../engine/likelihood/fitrun.js';
import { compileModel, type CompiledModel } from '../engine/likelihood/model.js';
import { parseWorkspace, readWorkspace } from '../engine/likelihood/workspace.js';
import { generatingData, runToys } from '../engine/likelihood/toys.js';
import { FitSession } from '../engine/likelihood/infer.js';
import { applyPatch } from '../engine/likelihood/patchset.js';
import { planToys, runToyBlocks } from '../engine/likelihood/toycls.js';
import { massScanPatchset } from './workspaces.js';

const MASS_SCAN_BKG = 'test/fixtures/pyhf/patchsets/mass_scan_bkg.json';

/** toys/s of `darkscan cls --calculator toys` on every patch at mu = 1: both hypotheses' K toys per patch. */
async function patchsetRate(b: Backend, models: CompiledModel[], K: number, seed: number): Promise<Record<string, number>> {
  const s = new FitSession(b, models);
  const targets = models.map((m, i) => ({ model: i, data: m.observed }));
  const t0 = now();
  const plan = await planToys(s, targets, targets.map((_, t) => ({ target: t, mu: 1 })), 'qtilde');
  const fitS = now() - t0;
  await runToyBlocks(b, s.packed, plan, { seed, first: 0, end: 2, keep: false }); // warm-up (compile, workers)
  const t1 = now();
  const run = await runToyBlocks(b, s.packed, plan, { seed, first: 0, end: K, keep: false });
  const toyS = now() - t1;
  const toys = plan.sets.length * K;
  return { patches: models.length, toys, seconds: toyS, toys_per_s: toys / toyS, observed_fits_s: fitS, not_converged: run.counts.bad.reduce((a, x) => a + x, 0) };
}

const now = () => performance.now() / 1000;

async function main(): Promise<void> {
  const { parseArgs } = await import('node:util');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir, availableParallelism, cpus } = await import('node:os');
  const { join } = await import('node:path');
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      toys: { type: 'string', default: '2000' },
      backends: { type: 'string', default: 'wasm-simd-all,wasm-simd' },
      workspaces: { type: 'string', default: '1bin,10bin,50bin' },
      'pyhf-toys': { type: 'string', default: '20' },
      'no-pyhf': { type: 'boolean' },
      seed: { type: 'string', default: '1' },
      patches: { type: 'string', default: '1000' },
      'patch-toys': { type: 'string', default: '1000' },
      'pyhf-patches': { type: 'string', default: '2' },
      out: { type: 'string' },
    },
  });
  const K = Number(values.toys), seed = Number(values.seed);
  const dir = mkdtempSync(join(tmpdir(), 'darkscan-toys-fit-'));
  const files: Record<string, string> = {
    '1bin': 'test/fixtures/pyhf/validation/1bin_shapesys.json',
    '10bin': 'test/fixtures/pyhf/workspaces/llp_3ch_10bin.json',
    '50bin': join(dir, 'ws50.json'),
  };
  writeFileSync(files['50bin'], JSON.stringify(workspace50()));
  const results: Record<string, unknown>[] = [];
  try {
    for (const name of values.workspaces!.split(',')) {
      if (name === 'patchset') {
        const P = Number(values.patches), PK = Number(values['patch-toys']);
        const bkg = readWorkspace(readFileSync(MASS_SCAN_BKG, 'utf8'), MASS_SCAN_BKG); // pyhf's digest needs the file's number forms (parsePyJson)
        const ps = massScanPatchset(bkg, P);
        const psPath = join(dir, `patchset_${P}.json`);
        writeFileSync(psPath, JSON.stringify(ps));
        const models = (ps.patches as { patch: unknown[] }[]).map((p) => compileModel(applyPatch(bkg, p.patch, 'bench')));
        const row: Record<string, unknown> = { workspace: name, file: `${MASS_SCAN_BKG} + ${P} illustrative patches (bench/workspaces.ts)`, bins: models[0].fit.bins.length, parameters: models[0].fit.params.length, toys_per_set: PK, sets: 2 * P, backends: {} };
        row.backends = await perBackend(values.backends!, async (b, label) => {
          const r = await patchsetRate(b, models, PK, seed);
          console.error(`toys: ${P} patches x ${PK} toys, ${label}: ${r.toys_per_s.toFixed(1)} toys/s (${r.toys} toys in ${r.seconds.toFixed(2)} s; observed fits ${r.observed_fits_s.toFixed(2)} s; ${r.not_converged} not converged)`);
          return { ...r, threads: label === 'wasm-simd-all' ? availableParallelism() : 1 };
        });
        if (!values['no-pyhf'] && Number(values['pyhf-toys']) > 0) {
          const n = values['pyhf-patches']!;
          row.pyhf = pyhfPeer([MASS_SCAN_BKG, '--patchset', psPath, '--max-items', n, '--toy-items', n, '--ntoys', values['pyhf-toys']!, '--poi-value', '1']);
          console.error(`toys: patchset, pyhf (${n} patches): ${(row.pyhf as { toys_per_s: number }).toys_per_s.toFixed(2)} toys/s`);
        }
        results.push(row);
        continue;
      }
      const path = files[name];
      if (!path) throw new Error(`unknown workspace '${name}' (1bin, 10bin, 50bin)`);
      const model: CompiledModel = compileModel(parseWorkspace(JSON.parse(readFileSync(path, 'utf8'))));
      const packed = packFitModels([model.fit]);
      const row: Record<string, unknown> = { workspace: name, file: path.startsWith(dir) ? 'built by bench/toys_fit.ts (illustrative)' : path, bins: model.fit.bins.length, parameters: model.fit.params.length, toys_per_set: K, sets: 2, backends: {} };
      row.backends = await perBackend(values.backends!, async (b, label) => {
        // Generating points: fixed-POI fits to the observed data at mu = 1 (s+b) and 0 (b-only).
        const [sb, bo] = await runFits(b, packed, [{ model: 0, data: model.observed, poi: 1 }, { model: 0, data: model.observed, poi: 0 }]);
        const sets = [{ model: 0, mu: 1, gen: generatingData(model, sb.theta), stream: 0 }, { model: 0, mu: 1, gen: generatingData(model, bo.theta), stream: 1 }];
        await runToys(b, packed, sets, { seed, firstToy: 0, toys: Math.min(K, 16), stat: 'qtilde' }); // warm-up (compile, workers)
        const t0 = now();
        const r = await runToys(b, packed, sets, { seed, firstToy: 0, toys: K, stat: 'qtilde' });
        const s = now() - t0;
        let it = 0, itCond = 0, bad = 0;
        for (let i = 0; i < r.iterations.length; i++) it += r.iterations[i];
        for (let i = 0; i < r.iterations.length; i += 2) itCond += r.iterations[i];
        for (const v of r.status) if (v !== 0) bad++;
        const n = 2 * K;
        console.error(`toys: ${name}, ${label}: ${(n / s).toFixed(1)} toys/s (${n} toys in ${s.toFixed(3)} s, ${(it / (2 * n)).toFixed(2)} iterations per fit (conditional ${(itCond / n).toFixed(2)}, free ${((it - itCond) / n).toFixed(2)}), ${bad} not converged)`);
        return { seconds: s, toys_per_s: n / s, mean_iterations_per_fit: it / (2 * n), mean_iterations_conditional: itCond / n, mean_iterations_free: (it - itCond) / n, not_converged: bad, threads: label === 'wasm-simd-all' ? availableParallelism() : 1 };
      });
      if (!values['no-pyhf'] && Number(values['pyhf-toys']) > 0) {
        row.pyhf = pyhfPeer([path, '--max-items', '1', '--ntoys', values['pyhf-toys']!, '--poi-value', '1']);
        console.error(`toys: ${name}, pyhf: ${(row.pyhf as { toys_per_s: number }).toys_per_s.toFixed(2)} toys/s`);
      }
      results.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report = { bench: 'darkscan toys with fits (issue 14)', started: new Date().toISOString(), seed, environment: { node: process.version, cpus: cpus()[0]?.model, threads: availableParallelism() }, results };
  const text = JSON.stringify(report, null, 2);
  if (values.out) writeFileSync(values.out, text);
  console.log(text);
  for (const r of results) {
    const py = (r.pyhf as { toys_per_s?: number } | undefined)?.toys_per_s;
    for (const [k, v] of Object.entries(r.backends as Record<string, { toys_per_s?: number; skipped?: string }>)) {
      console.error(`${String(r.workspace).padEnd(6)} ${k.padEnd(14)} ${v.toys_per_s ? `${v.toys_per_s.toFixed(1).padStart(10)} toys/s${py ? `  x${(v.toys_per_s / py).toFixed(0)} pyhf` : ''}` : `skipped: ${v.skipped}`}`);
    }
    if (py) console.error(`${String(r.workspace).padEnd(6)} ${'pyhf'.padEnd(14)} ${py.toFixed(2).padStart(10)} toys/s`);
  }
}

// Run as a script (vite-node bench/toys_fit.ts), not when imported.
if (import.meta.url.endsWith('/bench/toys_fit.ts') && typeof process !== 'undefined') await main();
