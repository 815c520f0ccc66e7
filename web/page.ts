// The darkscan page: pick a backend; run the dark Higgsstrahlung demo (engine/analyses/search.ts with searches.ts DARK_HIGGSSTRAHLUNG,
// the same code as `darkscan demo`) and see its maps, Brazil plots and summary; or generate / load
// events, run the window scan, see the local-Z map. Downloads: results.json and HEPData. Plain
// DOM; the runs live in web/lib.ts and web/demo.ts (shared with tests).
// First: the page's host math is Node's (see hostmath.ts), before any engine module runs.
import { HOST_MATH, NATIVE_DIFFERS } from './hostmath.js';
import { BROWSER_BACKENDS, fingerprint, makeBrowserBackend, runPhilox, toySample, windowSums, type BackendHandle, type BrowserBackendChoice } from './lib.js';
import { kernelByName } from '../kernels/index.js';
import { makeEventTable, type EventTable } from '../engine/events.js';
import { parseCsv, parseJson, parseParquet, parseRoot, hepdataLimitYaml, type ColumnTable, type LimitTable } from '../engine/io/index.js';
import { upperLimitAsymptotic } from '../engine/stats/index.js';
import { flooredBackground } from '../engine/stats/pvalue.js';
import { NAMED_GRIDS, type WindowGrid } from '../engine/windows.js';
import { scan, scanRows, type ScanResult } from '../engine/scan.js';
import { generate, PROCESSES } from '../engine/generate/index.js';
import { brazilPlot, linePlot, mapPlot } from '../engine/plot/svg.js';
import { checkSettings, hepdataZip, QUICK, runDemo, type DemoRun, type DemoSettings } from './demo.js';
import { initLikelihood, likelihoodButtonDisabled } from './likelihood-page.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page: element #${id} is missing`);
  return e as T;
};

const handles = new Map<string, Promise<BackendHandle>>();
let lastDoc: unknown;
let lastLimits: LimitTable | undefined;
let lastDemo: DemoRun | undefined;
let demoAbort: AbortController | undefined;
let scanAbort: AbortController | undefined;
const demoUrls: string[] = [];

function log(s: string): void {
  const el = $('log');
  el.textContent += `${new Date().toISOString().slice(11, 23)} ${s}\n`;
  el.scrollTop = el.scrollHeight;
}

function status(s: string, error = false): void {
  const el = $('status');
  el.textContent = s;
  el.className = error ? 'error' : '';
}

function progress(v: number): void {
  ($('progress') as HTMLProgressElement).value = v;
}

/** One backend per (choice, workers) for the page's lifetime: pipelines and workers are reused. */
function backendFor(choice: BrowserBackendChoice, workers?: number): Promise<BackendHandle> {
  const k = `${choice}/${workers ?? 0}`;
  let h = handles.get(k);
  if (!h) {
    h = makeBrowserBackend(choice, { workers });
    handles.set(k, h);
    h.catch(() => handles.delete(k));
  }
  return h;
}

async function currentBackend(): Promise<BackendHandle> {
  const choice = ($('backend') as HTMLSelectElement).value as BrowserBackendChoice;
  const w = Number(($('workers') as HTMLInputElement).value);
  const h = await backendFor(choice, w > 0 ? w : undefined);
  $('backend-info').textContent = JSON.stringify({ chosen: choice, ran_on: h.name, skipped: h.skipped, ...h.info, host_math: HOST_MATH, native_math_differs_on_probe: `${NATIVE_DIFFERS} / 400` }, null, 2);
  return h;
}

function intInput(id: string, what: string, min = 0, max = 2 ** 32 - 1): number {
  const s = ($(id) as HTMLInputElement).value;
  const v = Number(s);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${what}: expected an integer in [${min}, ${max}], got '${s}'`);
  return v;
}

async function loadFile(file: File, grid: WindowGrid): Promise<EventTable> {
  const name = file.name.toLowerCase();
  let t: ColumnTable;
  if (name.endsWith('.csv')) t = parseCsv(await file.text(), { source: file.name });
  else if (name.endsWith('.json')) t = parseJson(await file.text(), { source: file.name });
  else if (name.endsWith('.parquet')) t = await parseParquet(await file.arrayBuffer(), { source: file.name });
  else if (name.endsWith('.root')) t = await parseRoot(await file.arrayBuffer(), { source: file.name });
  else throw new Error(`${file.name}: unknown event file type (expected .csv, .json, .parquet or .root)`);
  const keep: Record<string, ArrayLike<number>> = {};
  for (const c of grid.variables) if (c in t.columns) keep[c] = t.columns[c];
  const wc = 'weight' in t.columns ? 'weight' : undefined;
  if (wc) keep[wc] = t.columns[wc];
  return makeEventTable(keep, { required: grid.variables, nonNegative: grid.variables, weightColumn: wc, source: file.name }).table;
}

interface Inputs { data: EventTable; background?: EventTable; source: Record<string, unknown> }

async function inputs(grid: WindowGrid): Promise<Inputs> {
  const source = (document.querySelector('input[name=source]:checked') as HTMLInputElement).value;
  const seed = intInput('seed', 'seed');
  const n = intInput('events', 'events', 1, 1 << 24);
  if (source === 'file') {
    const f = ($('file') as HTMLInputElement).files?.[0];
    if (!f) throw new Error('choose an event file (.csv or .json) first');
    return { data: await loadFile(f, grid), source: { file: f.name, bytes: f.size } };
  }
  if (source === 'generate') {
    const process = ($('process') as HTMLSelectElement).value;
    const s = generate({ process, events: n, seed });
    const cols: Record<string, ArrayLike<number>> = {};
    for (const c of grid.variables) {
      if (!(c in s.columns)) throw new Error(`process '${process}' has no column '${c}' (has ${Object.keys(s.columns).join(', ')})`);
      cols[c] = s.columns[c];
    }
    const data = makeEventTable(cols, { required: grid.variables, source: process }).table;
    return { data, source: { generator: 'engine/generate', process, seed, events_generated: n, events_accepted: s.length, sigma_fb: s.sigmaFb } };
  }
  // Toy: data = flat background + 60 peak events; background MC = 4x the statistics, weight 1/4.
  const data = toySample(seed, n, { peakEvents: 60, peak: [4, 2] });
  const background = toySample(seed + 1000003, 4 * n, { weight: 0.25 });
  return { data, background, source: { toy: 'flat in the allowed (M_mumu, M_recoil) triangle + peak at (4, 2) GeV', seed, events: n, peak_events: 60, background_seed: seed + 1000003, background_weight: 0.25 } };
}

/**
 * 95% CL upper limits on the signal count per window (asymptotic CLs, q~_mu: engine/stats,
 * arXiv:1007.1727), with the expected +-1/2 sigma bands, along the first variable: all windows
 * for a 1D grid, the row of centres nearest `slice` in the second variable for a 2D grid.
 * Windows with less background than B_FLOOR take b = B_FLOOR (engine/stats/pvalue.ts, as scan and run).
 */
function limits(r: ScanResult, slice: number): { table: LimitTable; windows: number[] } | undefined {
  if (!r.b) return undefined;
  const g = r.grid;
  let rows = Array.from({ length: g.cx.length }, (_, i) => i);
  let sliceAt: number | undefined;
  if (g.shape === 'ellipse') {
    let best = Infinity;
    for (const i of rows) if (Math.abs(g.cy[i] - slice) < Math.abs(best - slice)) best = g.cy[i];
    sliceAt = best;
    rows = rows.filter((i) => g.cy[i] === best);
  }
  if (!rows.length) return undefined;
  const obs: number[] = [], e: number[][] = [[], [], [], [], []];
  for (const i of rows) {
    const u = upperLimitAsymptotic({ n: r.data.n[i], b: flooredBackground(r.b[i]), sigmaB: r.sigmaB![i], uncertainty: r.sigmaB![i] > 0 ? 'gauss' : 'none' }, 0.95);
    obs.push(u.upper);
    const x = u.expected ?? [NaN, NaN, NaN, NaN, NaN];
    x.forEach((v, k) => e[k].push(v));
  }
  const [xv, yv] = g.variables;
  return {
    windows: rows,
    table: {
      mass: rows.map((i) => g.cx[i]), observed: obs, expected: e[2], expectedMinus1: e[1], expectedPlus1: e[3], expectedMinus2: e[0], expectedPlus2: e[4],
      massName: xv, massUnits: 'GeV', limitName: 'signal events in the window', limitUnits: 'events', cl: 0.95,
      description: `darkscan: asymptotic CLs upper limits (q~_mu, arXiv:1007.1727) per window of grid ${g.name}`,
      qualifiers: sliceAt !== undefined ? { [yv]: `${sliceAt.toFixed(4)} GeV` } : {},
    },
  };
}

function plotScan(r: ScanResult, lim: LimitTable | undefined): void {
  const g = r.grid;
  const two = g.shape === 'ellipse';
  const z = r.z ?? Float64Array.from(r.data.n);
  const label = r.z ? 'local Z' : 'events in window';
  const [xv, yv] = g.variables;
  $('map-plot').innerHTML = two
    ? mapPlot({ title: `${label}, ${g.cx.length} windows (${g.name}) on ${r.backend}`, x: { label: `${xv}` }, y: { label: `${yv}` }, px: g.cx, py: g.cy, value: z, valueLabel: label, rx: g.ax, ry: g.ay })
    : linePlot({ title: `${label}, ${g.cx.length} windows (${g.name}) on ${r.backend}`, x: { label: xv }, y: { label }, series: [{ x: g.cx, y: z, label, color: '#3b528b' }] });
  $('limit-plot').innerHTML = lim
    ? brazilPlot({
      title: `95% CL upper limit on signal events (asymptotic CLs)${lim.qualifiers && yv ? `, ${yv} = ${lim.qualifiers[yv]}` : ''}`,
      x: { label: `${xv}` }, y: { label: 'signal events', log: true },
      mass: lim.mass, observed: lim.observed,
      expected: Array.from(lim.mass, (_, i) => [lim.expectedMinus2[i], lim.expectedMinus1[i], lim.expected[i], lim.expectedPlus1[i], lim.expectedPlus2[i]]),
    })
    : '';
}

async function runScan(): Promise<unknown> {
  const gridName = ($('grid') as HTMLSelectElement).value;
  const grid = NAMED_GRIDS[gridName]();
  const rel = Number(($('syst') as HTMLInputElement).value);
  if (!(rel >= 0 && rel <= 100)) throw new Error(`background rel. syst.: expected a number in [0, 100], got '${($('syst') as HTMLInputElement).value}'`);
  const slice = Number(($('slice') as HTMLInputElement).value);
  if (!Number.isFinite(slice)) throw new Error('limit slice: expected a number (GeV)');
  progress(0.05);
  status('preparing events…');
  const h = await currentBackend();
  const inp = await inputs(grid);
  progress(0.3);
  status(`scanning ${grid.cx.length} windows on ${h.name}…`);
  log(`scan: ${inp.data.length} data events${inp.background ? `, ${inp.background.length} background` : ''}, grid ${grid.name} (${grid.cx.length} windows), backend ${h.name}`);
  const t0 = performance.now();
  // Stop aborts between blocks of windows (engine/cancel.ts runCancellable).
  scanAbort = new AbortController();
  ($('scan-stop') as HTMLButtonElement).disabled = false;
  let r: ScanResult;
  try {
    r = await scan(h.backend, grid, inp.data, { background: inp.background, relBackgroundSyst: rel, abort: scanAbort.signal });
  } finally {
    scanAbort = undefined;
    ($('scan-stop') as HTMLButtonElement).disabled = true;
  }
  const seconds = (performance.now() - t0) / 1000;
  progress(0.8);
  status('limits…');
  const lim = limits(r, slice);
  lastLimits = lim?.table;
  plotScan(r, lim?.table);
  let best = -1;
  if (r.p) for (let i = 0; i < r.p.length; i++) if (best < 0 || r.p[i] < r.p[best]) best = i;
  const doc = {
    schema: 'darkscan-scan/1',
    units: 'GeV (masses, centres, semi-axes); n, b, sigma_b in events',
    backend: h.name,
    backend_details: h.backend.info().details,
    user_agent: navigator.userAgent,
    kernel: 'window_count',
    grid: { name: grid.name, shape: grid.shape, variables: grid.variables, windows: grid.cx.length, params: grid.params },
    cells: r.data.cells,
    inputs: inp.source,
    background_rel_syst: rel,
    scan_seconds: seconds,
    n_fingerprint: fingerprint(r.data.n),
    windows: scanRows(r),
    limits: lim ? { method: 'asymptotic CLs, q~_mu (Cowan, Cranmer, Gross, Vitells, arXiv:1007.1727); gauss-constrained b when sigma_b > 0', units: 'signal events', windows: lim.windows, ...lim.table } : null,
  };
  lastDoc = doc;
  ($('download') as HTMLButtonElement).disabled = false;
  ($('hepdata') as HTMLButtonElement).disabled = !lim;
  log(`scan: ${seconds.toFixed(3)} s on ${h.name}; fingerprint of n ${doc.n_fingerprint}` + (best >= 0 ? `; smallest local p ${r.p![best].toExponential(3)} (Z ${r.z![best].toFixed(2)}) at window ${best} (${grid.cx[best].toFixed(3)}, ${grid.cy[best].toFixed(3)}) GeV` : ''));
  status(`done: ${grid.cx.length} windows in ${seconds.toFixed(3)} s on ${h.name}`);
  progress(1);
  return doc;
}

async function philoxCheck(): Promise<unknown> {
  const h = await currentBackend();
  const seed = intInput('seed', 'seed');
  status(`Philox on ${h.name}…`);
  const r = await runPhilox(h.backend, { seed, stream: 0, blocks: 1 << 16 });
  const fp = fingerprint(r.words);
  log(`philox: seed ${seed} stream 0, ${r.blocks} blocks on ${h.name} in ${r.seconds.toFixed(3)} s; first words ${r.words.slice(0, 4).map((w) => w.toString(16).padStart(8, '0')).join(' ')}; fingerprint ${fp}`);
  status(`Philox done on ${h.name}: fingerprint ${fp}`);
  const doc = { ...r, words: undefined, first_words: r.words.slice(0, 8), fingerprint: fp };
  lastDoc = doc;
  ($('download') as HTMLButtonElement).disabled = false;
  ($('hepdata') as HTMLButtonElement).disabled = true;
  lastLimits = undefined;
  return doc;
}


const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const DEMO_INPUTS: Record<keyof typeof QUICK, string> = {
  seed: 'demo-seed', pseudoExperiments: 'demo-pe', maxEventsPerBackground: 'demo-bg', signalEventsPerPoint: 'demo-sig', trainEvents: 'demo-train',
};

function demoSettings(): DemoSettings {
  const s: Partial<DemoSettings> = {};
  for (const [k, id] of Object.entries(DEMO_INPUTS) as [keyof typeof QUICK, string][]) {
    const el = $(id) as HTMLInputElement;
    const v = Number(el.value);
    if (el.value.trim() === '' || !Number.isInteger(v)) throw new Error(`${el.parentElement?.textContent?.trim() ?? id}: expected an integer, got '${el.value}'`);
    s[k] = v;
  }
  const num = (id: string, what: string) => {
    const el = $(id) as HTMLInputElement;
    const v = Number(el.value);
    if (el.value.trim() === '' || !Number.isFinite(v)) throw new Error(`inject ${what}: expected a number, got '${el.value}'`);
    return v;
  };
  const events = num('demo-inj-n', 'events');
  if (events !== 0) s.inject = { mA: num('demo-inj-ma', "M_A'"), mh: num('demo-inj-mh', "M_h'"), events };
  return checkSettings(s);
}

function showDemo(run: DemoRun, h: BackendHandle): void {
  const r = run.result;
  const g = r.global as Record<string, number | null>;
  const best = r.windows[g.window as number];
  const fmt = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? 'n/a' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(d));
  const inj = r.injected as Record<string, number> | null;
  const adapter = h.info.details as Record<string, unknown>;
  const adapterText = h.name === 'webgpu' ? `${adapter.vendor ?? ''} ${adapter.architecture ?? ''} ${adapter.description ?? ''}`.trim()
    : h.name === 'webgl2' ? `${adapter.renderer ?? ''} (other kernels on ${adapter.other_kernels_on ?? '?'})` : h.name === 'wasm' ? `${adapter.workers ?? '?'} workers, ${adapter.flavor ?? adapter.build ?? ''}` : 'TypeScript reference';
  const mlp = r.mlp as Record<string, unknown>;
  $('demo-summary').innerHTML = `<table class="summary">
<tr><th>backend</th><td id="demo-backend">${esc(h.name)}</td><td>${esc(adapterText)}</td></tr>
<tr><th>data</th><td>${esc((r.samples as Record<string, unknown>).data_selected_events)} selected events</td><td>${esc(r.lumi_fb)} fb⁻¹ simulated, seed ${esc(r.seed)} (Philox stream v${esc(r.stream_version)}, generator v${esc(r.generator_version)})</td></tr>
<tr><th>injected signal</th><td>${inj ? `M_A' = ${inj.m_A_GeV} GeV, M_h' = ${inj.m_h_GeV} GeV` : 'none'}</td><td>${inj ? `${inj.produced} produced, ${inj.selected} selected (seed ${inj.seed})` : 'background-only data'}</td></tr>
<tr><th>MLP</th><td>${esc(mlp.shape)}</td><td>training AUC ${fmt(mlp.roc_auc_train as number)}, score cut ${fmt(mlp.score_cut as number, 4)}</td></tr>
<tr><th>most significant window</th><td>M_μμ = ${fmt(best.m_mumu_GeV)} GeV, M_recoil = ${fmt(best.m_recoil_GeV)} GeV</td><td>n = ${best.n}, b = ${fmt(best.b, 2)} ± ${fmt(best.sigma_b, 2)} events, local Z = ${fmt(best.z_local, 2)} (p = ${fmt(best.p_local)})</td></tr>
<tr><th>global</th><td id="demo-global">p = ${fmt(g.p_global)}, Z = ${fmt(g.z_global, 2)}</td><td>${esc(g.exceeding)} of ${esc(g.pseudo_experiments)} background-only pseudo-experiments reach local Z ≥ ${fmt(g.max_z_local, 2)}; trials factor ${fmt(g.trials_factor, 1)}</td></tr>
<tr><th>limits</th><td>${Math.round(r.cl * 100)}% CL, ${esc(r.method)}</td><td>${r.windows.length} windows; ε²α_D from σ / σ(ε²α_D = 1)</td></tr>
<tr><th>time</th><td>${run.seconds.toFixed(1)} s</td><td>${esc(Object.entries(r.timing_s).map(([k, v]) => `${k} ${v} s`).join(', '))}</td></tr>
</table>`;
  for (const u of demoUrls.splice(0)) URL.revokeObjectURL(u);
  const svgs = run.files.filter((f) => f.kind === 'svg');
  // Maps first, then the Brazil plots per M_h' slice. <img> keeps each SVG's ids to itself.
  svgs.sort((a, b) => Number(b.name.startsWith('map_')) - Number(a.name.startsWith('map_')));
  const box = $('demo-plots');
  box.innerHTML = '';
  for (const f of svgs) {
    const url = URL.createObjectURL(new Blob([f.text], { type: 'image/svg+xml' }));
    demoUrls.push(url);
    const fig = document.createElement('figure');
    fig.className = 'plot';
    fig.id = `demo-${f.name.replace(/\.svg$/, '').replace(/[^\w-]/g, '_')}`;
    const img = document.createElement('img');
    img.src = url;
    img.alt = f.name;
    const cap = document.createElement('figcaption');
    cap.textContent = f.name;
    fig.append(img, cap);
    box.append(fig);
  }
}

async function demo(): Promise<unknown> {
  const s = demoSettings();
  progress(0.01);
  status('preparing the backend…');
  const h = await currentBackend();
  demoAbort = new AbortController();
  ($('demo-stop') as HTMLButtonElement).disabled = false;
  log(`demo: dark Higgsstrahlung on ${h.name}, ${JSON.stringify(s)}`);
  try {
    const run = await runDemo(h.backend, s, {
      signal: demoAbort.signal,
      progress: (msg, f) => {
        progress(f);
        status(`demo on ${h.name}: ${msg}…`);
        log(`demo: ${msg}`);
      },
    });
    lastDemo = run;
    showDemo(run, h);
    // Wait until every plot has decoded, so that "done" means "on screen".
    await Promise.all(Array.from(document.querySelectorAll<HTMLImageElement>('#demo-plots img'), (i) => i.decode()));
    const g = run.result.global as Record<string, number | null>;
    log(`demo: done in ${run.seconds.toFixed(1)} s on ${h.name}; max local Z ${g.max_z_local?.toFixed(2)} at window ${g.window}, global p ${g.p_global}`);
    status(`done: dark Higgsstrahlung demo, ${run.result.windows.length} windows in ${run.seconds.toFixed(1)} s on ${h.name}`);
    progress(1);
    return { backend: h.name, info: h.backend.info(), seconds: run.seconds, files: run.files.map((f) => f.name) };
  } finally {
    demoAbort = undefined;
  }
}

function demoFile(name: string): string | undefined {
  return lastDemo?.files.find((f) => f.name === name)?.text;
}

function save(text: string | Uint8Array<ArrayBuffer>, type: string, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function download(): void {
  if (lastDoc) save(JSON.stringify(lastDoc, null, 1), 'application/json', 'darkscan-result.json');
}

function downloadHepdata(): void {
  if (lastLimits) save(hepdataLimitYaml(lastLimits), 'application/x-yaml', 'darkscan-limits.yaml');
}

let running = false;

/** One run at a time; buttons are disabled while it runs (Stop aside), errors go to the status line. */
function guard(f: () => Promise<unknown>): () => Promise<unknown> {
  return async () => {
    if (running) throw new Error('a run is in progress');
    running = true;
    const buttons = document.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    try {
      return await f();
    } catch (e) {
      status(`error: ${(e as Error).message}`, true);
      log(`error: ${(e as Error).stack ?? (e as Error).message}`);
      throw e;
    } finally {
      running = false;
      buttons.forEach((b) => (b.disabled = b.id === 'demo-stop' || b.id === 'scan-stop' || (b.id === 'download' && !lastDoc) || (b.id === 'hepdata' && !lastLimits) || (b.id.startsWith('demo-') && !lastDemo) || (b.id.startsWith('lh-') && likelihoodButtonDisabled(b.id))));
    }
  };
}

function init(): void {
  const sel = $('process') as HTMLSelectElement;
  for (const p of PROCESSES) sel.add(new Option(p.name, p.name));
  const scanBtn = guard(runScan), philoxBtn = guard(philoxCheck), demoBtn = guard(demo);
  $('run-demo').addEventListener('click', () => void demoBtn().catch(() => {}));
  $('demo-stop').addEventListener('click', () => demoAbort?.abort(new Error('stopped by the user')));
  $('demo-json').addEventListener('click', () => lastDemo && save(demoFile('results.json')!, 'application/json', 'results.json'));
  $('demo-hepdata').addEventListener('click', () => lastDemo && save(demoFile('hepdata.yaml')!, 'application/x-yaml', 'hepdata.yaml'));
  $('demo-zip').addEventListener('click', () => lastDemo && save(hepdataZip(lastDemo.files), 'application/zip', 'hepdata-submission.zip'));
  $('run-scan').addEventListener('click', () => void scanBtn().catch(() => {}));
  $('scan-stop').addEventListener('click', () => scanAbort?.abort(new Error('stopped by the user')));
  $('run-philox').addEventListener('click', () => void philoxBtn().catch(() => {}));
  $('download').addEventListener('click', download);
  $('hepdata').addEventListener('click', downloadHepdata);
  const likelihood = initLikelihood({ $, currentBackend, status, progress, log, save, guard });
  const iso = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  status(`ready${iso ? '' : ' (not cross-origin isolated: WASM workers unavailable; serve with `darkscan serve`)'}; navigator.gpu ${'gpu' in navigator ? 'present' : 'missing'}`);
  // The hooks the browser tests (test/browser.test.ts) and scripts use.
  Object.assign(globalThis, {
    darkscan: {
      backends: BROWSER_BACKENDS,
      backend: (choice: BrowserBackendChoice, workers?: number) => backendFor(choice, workers).then((h) => ({ name: h.name, info: h.info, skipped: h.skipped })),
      philox: async (choice: BrowserBackendChoice, o: { seed: number; stream?: number; blocks: number; format?: 'u32' | 'uniform'; event?: number }) => {
        const h = await backendFor(choice);
        return { ...(await runPhilox(h.backend, o)), info: h.backend.info() };
      },
      toyWindowSums: async (choice: BrowserBackendChoice, o: { grid: string; seed: number; events: number; weighted?: boolean }) => {
        const h = await backendFor(choice);
        const sums = await windowSums(h.backend, NAMED_GRIDS[o.grid](), toySample(o.seed, o.events, { peakEvents: 50, weighted: o.weighted }));
        return { backend: h.name, info: h.backend.info(), ...sums };
      },
      /**
       * Any registered kernel on a browser backend, for the browser conformance test: inputs as
       * 32-bit words, outputs as words (the test compares them with the reference in Node).
       */
      runKernel: async (choice: BrowserBackendChoice, name: string, a: { count: number; itemOffset?: number; params?: Record<string, number>; inputs?: Record<string, number[]> }) => {
        const h = await backendFor(choice);
        const inputs = Object.fromEntries(Object.entries(a.inputs ?? {}).map(([k, v]) => [k, Uint32Array.from(v)]));
        const computed = () => ((h.backend.info().details.items_computed ?? {}) as Record<string, number>)[name] ?? 0;
        const before = computed();
        const out = await h.backend.run(kernelByName(name), { count: a.count, itemOffset: a.itemOffset, params: a.params, inputs });
        const outputs = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v)]));
        return { backend: h.name, itemsComputedHere: computed() - before, outputs };
      },
      runScan: scanBtn,
      /** The demo as the button runs it; `o` (backend, workers and demo settings) is written into the form first. */
      runDemo: async (o: Partial<DemoSettings> & { backend?: BrowserBackendChoice; workers?: number } = {}) => {
        const { backend, workers, inject, ...rest } = o;
        checkSettings({ ...rest, inject });
        if (backend) ($('backend') as HTMLSelectElement).value = backend;
        if (workers !== undefined) ($('workers') as HTMLInputElement).value = String(workers);
        for (const [k, v] of Object.entries(rest)) ($(DEMO_INPUTS[k as keyof typeof DEMO_INPUTS]) as HTMLInputElement).value = String(v);
        const set = (id: string, v: number) => (($(id) as HTMLInputElement).value = String(v));
        if (inject) (set('demo-inj-ma', inject.mA), set('demo-inj-mh', inject.mh), set('demo-inj-n', inject.events));
        else if ('inject' in o) set('demo-inj-n', 0);
        return demoBtn();
      },
      /** The last demo's report files (results.json, hepdata*.yaml, *.svg) by name. */
      demoFile: (name: string) => demoFile(name) ?? null,
      demoFiles: () => lastDemo?.files.map((f) => f.name) ?? [],
      hepdataZip: () => (lastDemo ? Array.from(hepdataZip(lastDemo.files)) : null),
      philoxCheck: philoxBtn,
      lastDoc: () => lastDoc,
      hepdata: () => (lastLimits ? hepdataLimitYaml(lastLimits) : null),
      /** The Likelihood section (web/likelihood-page.ts): load files, run fit / cls / upper-limit, read the downloads. */
      likelihood,
    },
  });
}

init();
