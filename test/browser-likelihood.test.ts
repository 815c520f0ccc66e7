// The page's Likelihood section (issue 20) in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core, served by `darkscan serve` with COOP/COEP): a workspace + patchset loaded
// through the file picker, a HEPData .tar.gz / .zip resource unpacked in the page, MLE fits,
// asymptotic CLs, upper limits and toy CLs (1000 toys per hypothesis) on WebGPU (SwiftShader) and
// WASM workers; each results JSON
// must equal, byte for byte, `darkscan fit / cls / upper-limit ... --json` on the same backend
// (JSON text of doubles round-trips, so equal text = equal bits). Bad files get a message naming
// the JSON path, the CLI's own message; Stop ends a long run and the page stays responsive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../engine/cli/serve.js';
import { ALLOW_NO_WEBGPU } from './backends.js';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = process.env.DARKSCAN_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const WEB_ROOT = join(ROOT, 'dist', 'web');
const PS_DIR = join(ROOT, 'test', 'fixtures', 'pyhf', 'patchsets');
const HEPDATA = join(ROOT, 'test', 'fixtures', 'hepdata');
const BKG = 'mass_scan_bkg.json', PATCHSET = 'mass_scan_patchset.json';

let server: RunningServer;
let ctx: BrowserContext;
let page: Page;
let userDir: string;
const pageErrors: string[] = [];
let webgpu = true;

/** `darkscan ARGS` in the patchset folder (file names as the page sees them): stdout, stderr, exit code. */
async function cli(args: string[], cwd = PS_DIR): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'darkscan.js'), ...args], { cwd, maxBuffer: 1 << 26 });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    return { stdout: x.stdout, stderr: x.stderr, code: x.code };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inPage<A>(fn: (a: A) => Promise<any>, arg: A): Promise<any> {
  return page.evaluate(fn as (a: unknown) => Promise<unknown>, arg);
}

const lh = {
  run: (kind: string, o: Record<string, unknown>) => inPage(([k, x]) => (globalThis as any).darkscan.likelihood.run(k, x).then(() => null, (e: Error) => e.message), [kind, o] as const),
  json: () => inPage(async () => (globalThis as any).darkscan.likelihood.json(), null) as Promise<string | null>,
  error: () => inPage(async () => (globalThis as any).darkscan.likelihood.error(), null) as Promise<string>,
};

/** Loads files through the page's file picker and waits for the summary (or an error). */
async function pick(paths: string[]): Promise<void> {
  await page.evaluate(() => {
    document.getElementById('lh-summary')!.innerHTML = '';
    document.getElementById('lh-error')!.textContent = '';
    (document.getElementById('lh-files') as HTMLInputElement).value = ''; // the same files again fire 'change' too
  });
  await page.setInputFiles('#lh-files', paths);
  await page.waitForFunction(() => document.getElementById('lh-summary')!.innerHTML !== '' || document.getElementById('lh-error')!.textContent !== '', undefined, { timeout: 30_000 });
}

beforeAll(async () => {
  if (!existsSync(join(WEB_ROOT, 'js', 'page.js')) || !existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('not built: run node build.mjs first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set DARKSCAN_CHROMIUM)`);
  server = await startServer({ port: 0, root: WEB_ROOT });
  userDir = mkdtempSync(join(tmpdir(), 'darkscan-chromium-'));
  ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => 'darkscan' in globalThis, undefined, { timeout: 30_000 });
  const gpu = await inPage(() => (globalThis as any).darkscan.backend('webgpu').then(() => '', (e: Error) => e.message), null);
  if (gpu) {
    if (!ALLOW_NO_WEBGPU) throw new Error(`WebGPU in headless Chromium: ${gpu} (set DARKSCAN_ALLOW_NO_WEBGPU=1 to run without)`);
    console.warn(`WARNING: browser WebGPU unavailable (${gpu}); WebGPU likelihood cases NOT run`);
    webgpu = false;
  }
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

describe('page: Likelihood section', () => {
  it('a workspace and its patchset from the file picker: the summary', async () => {
    await pick([join(PS_DIR, BKG), join(PS_DIR, PATCHSET)]);
    expect(await lh.error()).toBe('');
    const s = await inPage(async () => ({
      table: document.getElementById('lh-summary-table')!.textContent,
      ws: (document.getElementById('lh-ws') as HTMLSelectElement).selectedOptions[0].text,
      ps: (document.getElementById('lh-ps') as HTMLSelectElement).selectedOptions[0].text,
      buttons: ['lh-fit', 'lh-cls', 'lh-ul'].map((id) => (document.getElementById(id) as HTMLButtonElement).disabled),
    }), null);
    expect(s.ws).toBe(BKG);
    expect(s.ps).toBe(PATCHSET);
    expect(s.table).toContain('SR (15 bins), CR (3 bins)');
    expect(s.table).toMatch(/bins18/);
    expect(s.table).toMatch(/patches8; mass_GeV: 8 values/);
    expect(s.table).toMatch(/POI mu_sig/);
    expect(s.buttons).toEqual([false, false, false]);
  });

  const cases: [string, string[], Record<string, unknown>][] = [
    ['fit', [], {}],
    ['cls', ['--poi-value', '1'], { poi: 1, stat: 'qtilde' }],
    ['upper-limit', [], { cl: 0.95, stat: 'qtilde' }],
  ];
  for (const backend of ['webgpu', 'wasm'] as const) {
    for (const [kind, extra, o] of cases) {
      it(`${kind} of every patch on ${backend}: the JSON of \`darkscan ${kind} --json --backend ${backend}\`, byte for byte`, async (t) => {
        if (backend === 'webgpu' && !webgpu) return t.skip();
        const [ref, err] = await Promise.all([cli([kind, BKG, '--patchset', PATCHSET, ...extra, '--json', '--backend', backend]), lh.run(kind, { backend, ...o })]);
        expect(err).toBeNull();
        expect(ref.code, ref.stderr).toBe(0);
        const got = await lh.json();
        expect(JSON.parse(got!).backend).toBe(backend);
        expect(got).toBe(ref.stdout.trim());
        const doc = JSON.parse(got!);
        expect(Object.keys(doc.patches)).toHaveLength(8);
        expect(doc.fits_not_converged).toBe(0);
        // The page shows it: a row per patch (a table per patch for fits), a Brazil plot for limits and CLs.
        const shown = await inPage(async () => ({
          rows: document.querySelectorAll('#lh-table tr').length, fits: document.querySelectorAll('table.lh-fit').length,
          plots: document.querySelectorAll('#lh-plots svg').length, status: document.getElementById('status')!.textContent,
        }), null);
        expect(shown.status).toMatch(new RegExp(`^done: ${kind}, ${doc.fits} fits`));
        if (kind === 'fit') expect(shown.fits).toBe(8);
        else {
          expect(shown.rows).toBe(9);
          expect(shown.plots).toBe(1);
        }
      }, 300_000);
    }
  }

  // Toys: every patch on WASM; on WebGPU (SwiftShader runs about 40 toy fit pairs a second here)
  // one workspace, the CLI on the same backend beside it, and the page's WASM run equal to both.
  it('toy CLs of every patch on wasm, 1000 toys per hypothesis, seed 7: `darkscan cls --calculator toys` JSON, byte for byte', async () => {
    await pick([join(PS_DIR, BKG), join(PS_DIR, PATCHSET)]);
    const o = { backend: 'wasm', poi: 1, stat: 'qtilde', calculator: 'toys', toys: 1000, seed: 7 };
    const [ref, err] = await Promise.all([cli(['cls', BKG, '--patchset', PATCHSET, '--calculator', 'toys', '--toys', '1000', '--seed', '7', '--json', '--backend', 'wasm']), lh.run('cls', o)]);
    expect(err).toBeNull();
    expect(ref.code, ref.stderr).toBe(0);
    const got = await lh.json();
    expect(got).toBe(ref.stdout.trim());
    const doc = JSON.parse(got!);
    expect([doc.calculator, doc.toys, doc.seed]).toEqual(['toys', 1000, 7]);
    expect(Object.keys(doc.patches)).toHaveLength(8);
    for (const r of Object.values(doc.patches) as { CLs_obs: number; CLs_obs_error: number; CLs_exp: number[] }[]) {
      expect(r.CLs_obs_error).toBeGreaterThan(0);
      expect(r.CLs_exp).toHaveLength(5);
    }
    const table = await inPage(async () => document.getElementById('lh-table')!.textContent, null);
    expect(table).toMatch(/toys not converged/);
    expect(table).toContain(' ± ');
  }, 600_000);

  it('toy CLs of a workspace on webgpu and wasm, 1000 toys, seed 3: the CLI on webgpu byte for byte, the same numbers on wasm', async (t) => {
    if (!webgpu) return t.skip();
    const WS_DIR = join(ROOT, 'test', 'fixtures', 'pyhf', 'workspaces');
    await pick([join(WS_DIR, 'sr_cr_shapefactor.json')]);
    const o = { poi: 1, stat: 'qtilde', calculator: 'toys', toys: 1000, seed: 3 };
    const [ref, err] = await Promise.all([cli(['cls', 'sr_cr_shapefactor.json', '--calculator', 'toys', '--toys', '1000', '--seed', '3', '--json', '--backend', 'webgpu'], WS_DIR), lh.run('cls', { ...o, backend: 'webgpu' })]);
    expect(err).toBeNull();
    expect(ref.code, ref.stderr).toBe(0);
    const gpu = await lh.json();
    expect(JSON.parse(gpu!).backend).toBe('webgpu');
    expect(gpu).toBe(ref.stdout.trim());
    expect(await lh.run('cls', { ...o, backend: 'wasm' })).toBeNull();
    const wasm = JSON.parse((await lh.json())!);
    expect(wasm.backend).toBe('wasm');
    expect({ ...wasm, backend: 'webgpu' }).toEqual(JSON.parse(gpu!));
  }, 600_000);

  it('downloads: the JSON, the Brazil plot as SVG, the HEPData table of the limits', async () => {
    await pick([join(PS_DIR, BKG), join(PS_DIR, PATCHSET)]);
    expect(await lh.run('upper-limit', { backend: 'wasm', cl: 0.95, stat: 'qtilde' })).toBeNull();
    const files = new Map<string, string>();
    expect(await inPage(async () => ['lh-json', 'lh-svg', 'lh-hepdata'].map((id) => (document.getElementById(id) as HTMLButtonElement).disabled), null)).toEqual([false, false, false]);
    for (const id of ['lh-json', 'lh-svg', 'lh-hepdata']) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
      files.set(dl.suggestedFilename(), readFileSync((await dl.path())!, 'utf8'));
    }
    expect([...files.keys()]).toEqual(['darkscan-upper-limit.json', 'limits.svg', 'limits.yaml']);
    const doc = JSON.parse(files.get('darkscan-upper-limit.json')!);
    expect(doc.cl).toBe(0.95);
    const svg = files.get('limits.svg')!;
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('mass_GeV');
    expect(svg).toContain('expected ±2σ');
    const y = files.get('limits.yaml')!;
    // The masses from the patches' metadata values, the observed limits from the JSON, in mass order.
    const masses = JSON.parse(readFileSync(join(PS_DIR, PATCHSET), 'utf8')).patches.map((p: { metadata: { name: string; values: number[] } }) => p.metadata);
    masses.sort((a: { values: number[] }, b: { values: number[] }) => a.values[0] - b.values[0]);
    expect(y).toContain(`header: {name: "mass_GeV"`);
    const obs = y.split('LIMIT", value: "observed upper limit"}')[1].split('dependent')[0];
    for (const m of masses) {
      expect(y).toContain(`- {value: ${m.values[0]}}`);
      expect(obs).toContain(`{value: ${doc.patches[m.name].obs}}`);
    }
  }, 300_000);

  for (const archive of ['likelihood-resource.tar.gz', 'likelihood-resource.zip']) {
    it(`a HEPData resource ${archive}: unpacked in the page, paired, the same CLs as the CLI on the JSON files`, async () => {
      await pick([join(HEPDATA, archive)]);
      expect(await lh.error()).toBe('');
      const s = await inPage(async () => ({
        ws: (document.getElementById('lh-ws') as HTMLSelectElement).selectedOptions[0].text,
        ps: (document.getElementById('lh-ps') as HTMLSelectElement).selectedOptions[0].text,
        table: document.getElementById('lh-summary-table')!.textContent,
      }), null);
      expect(s.ws).toMatch(new RegExp(`^${archive.replace('.', '\\.')}:.*/BkgOnly\\.json$`));
      expect(s.ps).toMatch(/\/patchset\.json$/);
      if (archive.endsWith('.tar.gz')) expect(s.ws.length).toBeGreaterThan(100 + archive.length); // a GNU long name
      expect(s.table).toMatch(/not used.*README\.txt: not a \.json file/);
      expect(await lh.run('cls', { backend: 'wasm', poi: 1, stat: 'qtilde' })).toBeNull();
      const ref = await cli(['cls', BKG, '--patchset', PATCHSET, '--json', '--backend', 'wasm']);
      const a = JSON.parse((await lh.json())!), b = JSON.parse(ref.stdout);
      expect(a.patches).toEqual(b.patches);
      expect(a.workspace).toBe(s.ws);
      expect(a.workspace_digest).toBe(b.workspace_digest);
      expect(a.patchset_digest).toBe(b.patchset_digest);
    }, 120_000);
  }

  it('drag and drop of a .zip resource onto the drop zone loads it', async () => {
    await page.evaluate(() => (document.getElementById('lh-summary')!.innerHTML = ''));
    const bytes = Array.from(readFileSync(join(HEPDATA, 'likelihood-resource.zip')));
    await inPage(async (b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(b)], 'dropped.zip'));
      document.getElementById('lh-drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await page.waitForSelector('#lh-summary-table');
    expect(await inPage(async () => (document.getElementById('lh-ws') as HTMLSelectElement).selectedOptions[0].text, null)).toBe('dropped.zip:mass_scan/BkgOnly.json');
  });

  it('a two-label patchset (mass x lifetime): one Brazil plot per lifetime, HEPData as a submission .zip with one table each', async () => {
    await pick([join(PS_DIR, 'mass_lifetime_bkg.json'), join(PS_DIR, 'mass_lifetime_patchset.json')]);
    expect(await lh.error()).toBe('');
    expect(await lh.run('upper-limit', { backend: 'wasm', cl: 0.95, stat: 'qtilde' })).toBeNull();
    const ref = await cli(['upper-limit', 'mass_lifetime_bkg.json', '--patchset', 'mass_lifetime_patchset.json', '--json', '--backend', 'wasm']);
    expect(await lh.json()).toBe(ref.stdout.trim());
    const titles = await inPage(async () => Array.from(document.querySelectorAll('#lh-plots svg'), (e) => Array.from(e.querySelectorAll('text'), (t) => t.textContent!).find((t) => t.startsWith('95%'))), null);
    expect(titles).toHaveLength(2);
    for (const t of titles) expect(t).toMatch(/^95% CL upper limit on \S+ \(asymptotic CLs, q̃_μ\), ctau_mm = \d+$/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#lh-hepdata')]);
    expect(dl.suggestedFilename()).toBe('hepdata-submission.zip');
    const z = readFileSync((await dl.path())!);
    expect(z.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 3, 4]));
    expect(z.toString('latin1')).toContain('limits_1.yaml');
  }, 120_000);

  it('bad files: the message names the file and the JSON path, as the CLI does; runs stay off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'darkscan-lh-'));
    try {
      const ws = JSON.parse(readFileSync(join(PS_DIR, BKG), 'utf8'));
      ws.channels[1].samples[0].data[2] = 'seven';
      const bad = join(dir, 'bad_ws.json');
      writeFileSync(bad, JSON.stringify(ws));
      await pick([bad]);
      const msg = await lh.error();
      expect(msg).toMatch(/^bad_ws\.json: channels\[1\]\.samples\[0\]\.data\[2\]: /);
      const ref = await cli(['cls', bad]);
      expect(ref.code).not.toBe(0);
      expect(ref.stderr).toContain(msg.replace(/^bad_ws\.json/, bad));
      expect(await inPage(async () => (document.getElementById('lh-cls') as HTMLButtonElement).disabled, null)).toBe(true);
      // A patchset whose digest does not match the workspace; a JSON syntax error; neither kind.
      const ps = JSON.parse(readFileSync(join(PS_DIR, PATCHSET), 'utf8'));
      ps.metadata.digests.sha256 = '0'.repeat(64);
      writeFileSync(join(dir, 'ps.json'), JSON.stringify(ps));
      await pick([join(PS_DIR, BKG), join(dir, 'ps.json')]);
      expect(await lh.error()).toMatch(/^ps\.json: metadata\.digests/);
      writeFileSync(join(dir, 'syntax.json'), '{"channels": [1,]}');
      await pick([join(dir, 'syntax.json')]);
      expect(await lh.error()).toMatch(/syntax\.json: invalid JSON at line 1 column \d+/);
      writeFileSync(join(dir, 'other.json'), '{"a": 1}');
      await pick([join(dir, 'other.json')]);
      expect(await lh.error()).toMatch(/other\.json: neither a pyhf workspace/);
      writeFileSync(join(dir, 'broken.zip'), Buffer.concat([readFileSync(join(HEPDATA, 'likelihood-resource.zip')).subarray(0, 900)]));
      await pick([join(dir, 'broken.zip')]);
      expect(await lh.error()).toMatch(/^broken\.zip: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('Stop ends a long run (100 patches) with "stopped by the user"; the page answers meanwhile', async () => {
    await pick([join(PS_DIR, BKG), join(PS_DIR, 'mass_scan_100_patchset.json')]);
    expect(await lh.error()).toBe('');
    const backend = webgpu ? 'webgpu' : 'wasm';
    // The fit kernel's pipeline compiled first (SwiftShader: seconds), as after any earlier run:
    // Stop then waits at most for the block of fits in flight.
    expect(await lh.run('fit', { backend })).toBeNull();
    const p = lh.run('upper-limit', { backend, cl: 0.95, stat: 'qtilde' });
    await page.waitForFunction(() => !(document.getElementById('lh-stop') as HTMLButtonElement).disabled, undefined, { timeout: 30_000 });
    const t0 = Date.now();
    await page.evaluate(() => document.getElementById('status')!.textContent); // answered while the run goes on
    const answer = Date.now() - t0;
    await page.click('#lh-stop');
    const t1 = Date.now();
    expect(await p).toMatch(/stopped by the user/);
    expect(Date.now() - t1).toBeLessThan(10_000);
    expect(answer).toBeLessThan(2000);
    expect(await inPage(async () => document.getElementById('status')!.textContent, null)).toMatch(/^error: .*stopped by the user/);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
