// Binned-likelihood fits per second (issue 13): patchsets of 1, 100 and 10 000 patches of an
// illustrative mass scan (test/fixtures/pyhf/patchsets/mass_scan_bkg.json: 15-bin signal region +
// 3-bin control region, staterror, lumi; one Gaussian signal patch per mass), every patch fitted
// twice (POI free and POI fixed at 1) in one dispatch of the fit kernel per backend, beside pyhf
// (bench/pyhf_peer.py: numpy backend, scipy optimizer, the same two fits per patch) in the same run.
//
//   npx vite-node bench/fits.ts -- [--sizes 1,100,10000] [--backends cpu,wasm-simd,wasm-simd-all,webgpu]
//        [--cpu-max 500] [--pyhf-max 40] [--no-pyhf] [--out FILE.json]
//
// Building the models (patching, compiling, packing) is timed apart from the fits, for both.
import { readFileSync } from 'node:fs';
import { perBackend, pyhfPeer } from './backends.js';
import { runFits, packFitModels, type FitRequest } from '../engine/likelihood/fitrun.js';
import { compileModel } from '../engine/likelihood/model.js';
import { applyPatch } from '../engine/likelihood/patchset.js';
import { readWorkspace } from '../engine/likelihood/workspace.js';
import { massScanPatchset } from './workspaces.js';

const BKG = 'test/fixtures/pyhf/patchsets/mass_scan_bkg.json';

const now = () => performance.now() / 1000;

/** The benchmark of the header (run when this file is the entry). */
export async function main(): Promise<void> {
  const { parseArgs } = await import('node:util');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir, availableParallelism, cpus } = await import('node:os');
  const { join } = await import('node:path');
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      sizes: { type: 'string', default: '1,100,10000' },
      backends: { type: 'string', default: 'cpu,wasm-simd,wasm-simd-all,webgpu' },
      'cpu-max': { type: 'string', default: '500' },
      'pyhf-max': { type: 'string', default: '40' },
      'no-pyhf': { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  const sizes = values.sizes!.split(',').map(Number);
  const cpuMax = Number(values['cpu-max']), pyhfMax = Number(values['pyhf-max']);
  const bkgText = readFileSync(BKG, 'utf8');
  const bkg = readWorkspace(bkgText, BKG);
  const dir = mkdtempSync(join(tmpdir(), 'darkscan-fits-'));
  const results: Record<string, unknown>[] = [];
  try {
    for (const N of sizes) {
      const ps = massScanPatchset(bkg, N);
      const psPath = join(dir, `patchset_${N}.json`);
      writeFileSync(psPath, JSON.stringify(ps));
      const t0 = now();
      const models = (ps.patches as { patch: unknown[] }[]).map((p) => compileModel(applyPatch(bkg, p.patch, 'bench'), { source: 'bench' }));
      const packed = packFitModels(models.map((m) => m.fit));
      const buildS = now() - t0;
      const row: Record<string, unknown> = { patches: N, build_s: buildS, backends: {} as Record<string, unknown> };
      row.backends = await perBackend(values.backends!, async (b, label) => {
        const n = label === 'cpu' ? Math.min(N, cpuMax) : N;
        const reqs: FitRequest[] = [];
        for (let i = 0; i < n; i++) reqs.push({ model: i, data: models[i].observed }, { model: i, data: models[i].observed, poi: 1 });
        await runFits(b, packed, reqs.slice(0, Math.min(reqs.length, 8))); // warm-up (compile, upload)
        const t1 = now();
        const out = await runFits(b, packed, reqs);
        const s = now() - t1;
        console.error(`fits: ${N} patches, ${label}: ${(reqs.length / s).toFixed(1)} fits/s (${reqs.length} fits in ${s.toFixed(3)} s)`);
        return {
          patches_fitted: n, fits: reqs.length, fit_s: s, fits_per_s: reqs.length / s,
          not_converged: out.filter((r) => r.status === 0).length, first_mu_hat: out[0].theta[models[0].poi],
        };
      });
      if (!values['no-pyhf']) {
        row.pyhf = pyhfPeer([BKG, '--patchset', psPath, '--max-items', String(pyhfMax), '--ntoys', '0']);
        console.error(`fits: ${N} patches, pyhf: ${(row.pyhf as { fits_per_s: number }).fits_per_s.toFixed(1)} fits/s`);
      }
      results.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report = { bench: 'darkscan fits (issue 13)', started: new Date().toISOString(), environment: { node: process.version, cpus: cpus()[0]?.model, threads: availableParallelism() }, results };
  const text = JSON.stringify(report, null, 2);
  if (values.out) writeFileSync(values.out, text);
  console.log(text);
  for (const r of results) {
    const py = (r.pyhf as { fits_per_s?: number } | undefined)?.fits_per_s;
    for (const [k, v] of Object.entries(r.backends as Record<string, { fits_per_s?: number; skipped?: string }>)) {
      console.error(`${String(r.patches).padStart(6)} patches  ${k.padEnd(14)} ${v.fits_per_s ? `${v.fits_per_s.toFixed(1).padStart(10)} fits/s${py ? `  x${(v.fits_per_s / py).toFixed(1)} pyhf` : ''}` : `skipped: ${v.skipped}`}`);
    }
    if (py) console.error(`${String(r.patches).padStart(6)} patches  ${'pyhf'.padEnd(14)} ${py.toFixed(1).padStart(10)} fits/s`);
  }
}

// Run as a script (vite-node bench/fits.ts), not when imported.
if (import.meta.url.endsWith('/bench/fits.ts') && typeof process !== 'undefined') await main();
