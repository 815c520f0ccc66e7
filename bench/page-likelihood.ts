// The page's Likelihood section timed in headless Chromium (issue 20): a workspace + patchset
// loaded through the file picker, then MLE fits, asymptotic CLs and upper limits of every patch
// on WebGPU (SwiftShader here) and WASM workers, as the buttons run them; the page's own timing
// (session start to results document) and the wall time seen from here; rep 0 of a run includes
// the fit kernel's pipeline compilation (WebGPU) on its first use. Optionally writes a
// screenshot of the Brazil plot. After `node build.mjs`:
//   npx vite-node bench/page-likelihood.ts -- [--patchset test/fixtures/pyhf/patchsets/mass_scan_100_patchset.json]
//     [--runs fit,cls,upper-limit,toys] [--toys webgpu=10,wasm=1000] [--reps 2] [--screenshot docs/likelihood-brazil.png]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from '../engine/cli/serve.js';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    workspace: { type: 'string', default: 'test/fixtures/pyhf/patchsets/mass_scan_bkg.json' },
    patchset: { type: 'string', default: 'test/fixtures/pyhf/patchsets/mass_scan_100_patchset.json' },
    backends: { type: 'string', default: 'webgpu,wasm' },
    runs: { type: 'string', default: 'fit,cls,upper-limit' },
    screenshot: { type: 'string' },
    reps: { type: 'string', default: '2' },
    /** Toys per hypothesis per backend for the run 'toys' (CLs at mu = 1 from toys), e.g. webgpu=10,wasm=1000. */
    toys: { type: 'string', default: 'webgpu=10,wasm=1000' },
  },
});
const server = await startServer({ port: 0, root: join(ROOT, 'dist', 'web') });
const userDir = mkdtempSync(join(tmpdir(), 'darkscan-chromium-'));
const ctx = await chromium.launchPersistentContext(userDir, {
  executablePath: process.env.DARKSCAN_CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--no-first-run'], viewport: { width: 1300, height: 900 },
});
try {
  const page = await ctx.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'darkscan' in globalThis);
  await page.setInputFiles('#lh-files', [join(ROOT, values.workspace!), join(ROOT, values.patchset!)]);
  await page.waitForSelector('#lh-summary-table');
  const rows: Record<string, unknown>[] = [];
  for (const backend of values.backends!.split(',')) {
    // The backend's start-up (adapter, pipelines, workers) is not part of a run's time.
    await page.evaluate((b) => (globalThis as any).darkscan.backend(b), backend);
    for (const kind of values.runs!.split(',')) for (let rep = 0; rep < Number(values.reps); rep++) {
      const t0 = performance.now();
      const K = Number(Object.fromEntries(values.toys!.split(',').map((x) => x.split('=')))[backend] ?? 100);
      const o = kind === 'toys' ? { backend, poi: 1, stat: 'qtilde', calculator: 'toys', toys: K, seed: 1 } : { backend, poi: 1, cl: 0.95, stat: 'qtilde' };
      const err = await page.evaluate(([k, x]) => (globalThis as any).darkscan.likelihood.run(k, x).then(() => null, (e: Error) => e.message), [kind === 'toys' ? 'cls' : kind, o] as const);
      const wall = (performance.now() - t0) / 1000;
      if (err) throw new Error(`${kind} on ${backend}: ${err}`);
      const doc = JSON.parse(await page.evaluate(() => (globalThis as any).darkscan.likelihood.json()));
      const s = await page.evaluate(() => (globalThis as any).darkscan.likelihood.seconds());
      rows.push({ backend: doc.backend, run: kind, rep, ...(kind === 'toys' ? { toys_per_hypothesis: doc.toys, toy_fit_pairs: 2 * doc.toys * Object.keys(doc.patches ?? { one: 1 }).length } : {}), patches: Object.keys(doc.patches ?? { one: 1 }).length, fits: doc.fits, not_converged: doc.fits_not_converged, page_s: +s.toFixed(3), wall_s: +wall.toFixed(3) });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
  if (values.screenshot) {
    await page.locator('#lh-plots figure').first().screenshot({ path: join(ROOT, values.screenshot) });
    console.log(`screenshot: ${values.screenshot}`);
  }
  console.log(JSON.stringify({ schema: 'darkscan-page-likelihood/1', user_agent: await page.evaluate(() => navigator.userAgent), hardware_concurrency: await page.evaluate(() => navigator.hardwareConcurrency), rows }));
} finally {
  await ctx.close();
  await server.close();
  rmSync(userDir, { recursive: true, force: true });
}
