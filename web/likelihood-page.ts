// The page's Likelihood section (issue 20), DOM side: file picker and drag and drop (JSON files,
// HEPData .tar.gz / .zip resources), the summary, fit / CLs / upper-limit runs on the page's
// backend with progress and Stop, result tables, Brazil plots, and the downloads. The runs and
// the documents are web/likelihood.ts and engine/likelihood/report.ts (shared with the CLI).
import type { BackendHandle } from './lib.js';
import type { TestStat } from '../engine/likelihood/infer.js';
import { hepdataOf, limitFigures, loadModelsFromText, pairedPatchset, runLikelihood, sortFiles, summarize, type JsonFiles, type LikelihoodRun, type LimitFigure, type LoadedModels, type RunOutput } from './likelihood.js';
import { zipStore } from './zip.js';

export interface PageDeps {
  $: <T extends HTMLElement>(id: string) => T;
  currentBackend: () => Promise<BackendHandle>;
  status: (s: string, error?: boolean) => void;
  progress: (v: number) => void;
  log: (s: string) => void;
  save: (data: string | Uint8Array<ArrayBuffer>, type: string, name: string) => void;
  guard: (f: () => Promise<unknown>) => () => Promise<unknown>;
}

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x: unknown, p = 6): string => (typeof x === 'number' ? (Number.isFinite(x) ? x.toPrecision(p) : String(x)) : Array.isArray(x) ? `[${x.map((y) => fmt(y, p)).join(', ')}]` : esc(x));

let files: JsonFiles = { workspaces: [], patchsets: [], ignored: [] };
let loaded: LoadedModels | undefined;
let last: { run: LikelihoodRun; out: RunOutput; figs: LimitFigure[] } | undefined;
let abort: AbortController | undefined;

/** Whether the page's guard leaves a Likelihood button disabled after a run. */
export function likelihoodButtonDisabled(id: string): boolean {
  if (id === 'lh-stop') return true;
  if (id === 'lh-fit' || id === 'lh-cls' || id === 'lh-ul') return !loaded;
  if (id === 'lh-json') return !last;
  if (id === 'lh-svg' || id === 'lh-hepdata') return !last?.figs.length;
  return false;
}

export function initLikelihood(d: PageDeps) {
  const { $ } = d;
  const sel = (id: string) => $<HTMLSelectElement>(id);
  const buttons = () => ['lh-fit', 'lh-cls', 'lh-ul', 'lh-stop', 'lh-json', 'lh-svg', 'lh-hepdata'].forEach((id) => ($<HTMLButtonElement>(id).disabled = likelihoodButtonDisabled(id)));

  function showError(e: unknown): void {
    const msg = (e as Error).message ?? String(e);
    $('lh-error').textContent = msg;
    d.status(`error: ${msg}`, true);
    d.log(`likelihood: ${msg}`);
  }

  /** Compiles the chosen workspace (+ patchset); the error names the file and the JSON path. */
  function choose(): void {
    loaded = undefined;
    last = undefined;
    $('lh-error').textContent = '';
    $('lh-summary').innerHTML = '';
    $('lh-result').innerHTML = '';
    $('lh-plots').innerHTML = '';
    const ws = files.workspaces[Number(sel('lh-ws').value)];
    const psv = sel('lh-ps').value;
    const ps = psv === '' ? undefined : files.patchsets[Number(psv)];
    try {
      if (!ws) throw new Error(files.patchsets.length ? 'a patchset needs its background-only workspace: load that JSON file too' : 'no pyhf workspace among the loaded files');
      loaded = loadModelsFromText(ws, { patchset: ps });
      showSummary(loaded);
      d.status(`loaded ${ws.name}${ps ? ` + ${ps.name} (${loaded.models.length} patches)` : ''}`);
      d.log(`likelihood: loaded ${ws.name}${ps ? ` with ${ps.name}` : ''}: ${loaded.models.length} model(s), ${loaded.provenance.workspace_digest}`);
    } catch (e) {
      showError(files.ignored.length ? new Error(`${(e as Error).message}\nnot used: ${files.ignored.map((f) => `${f.name}: ${f.why}`).join('; ')}`) : e);
    }
    buttons();
  }

  function showSummary(l: LoadedModels): void {
    const s = summarize(l);
    const rows: [string, string][] = [
      ['workspace', `${esc(l.provenance.workspace)} <small>${esc(l.provenance.workspace_digest)}</small>`],
      ['channels', s.channels.map((c) => `${esc(c.name)} (${c.bins} bins)`).join(', ')],
      ['bins', String(s.channels.reduce((a, c) => a + c.bins, 0))],
      ['samples', `${s.samples.length}: ${esc(s.samples.join(', '))}`],
      ['modifiers', Object.entries(s.modifiers).map(([t, n]) => `${n} ${esc(t)}`).join(', ')],
      ['parameters', `${s.parameters} (${s.parameter_components} components), POI ${esc(s.poi)}`],
      ['measurements', esc(s.measurements.join(', '))],
    ];
    if (s.patches) {
      rows.push(['patchset', `${esc(l.provenance.patchset)} <small>${esc(l.provenance.patchset_digest)}</small>`]);
      rows.push(['patches', `${s.patches.count}; ${Object.entries(s.patches.values).map(([k, v]) => `${esc(k)}: ${v.length} values (${esc(v.slice(0, 8).join(', '))}${v.length > 8 ? ', …' : ''})`).join('; ')}`]);
    }
    if (files.ignored.length) rows.push(['not used', esc(files.ignored.map((f) => `${f.name}: ${f.why}`).join('; '))]);
    $('lh-summary').innerHTML = `<table class="summary" id="lh-summary-table">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
  }

  async function takeFiles(list: readonly File[]): Promise<void> {
    try {
      const got = await sortFiles(await Promise.all(list.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
      files = got;
    } catch (e) {
      files = { workspaces: [], patchsets: [], ignored: [] };
      loaded = undefined;
      last = undefined;
      buttons();
      showError(e);
      return;
    }
    const ws = sel('lh-ws'), ps = sel('lh-ps');
    ws.innerHTML = '';
    files.workspaces.forEach((w, i) => ws.add(new Option(w.name, String(i))));
    ps.innerHTML = '<option value="">(none)</option>';
    files.patchsets.forEach((p, i) => ps.add(new Option(p.name, String(i))));
    const first = files.workspaces[0];
    const pair = first && pairedPatchset(files, first);
    ps.value = pair ? String(files.patchsets.indexOf(pair)) : '';
    choose();
  }

  function showResult(run: LikelihoodRun, out: RunOutput): void {
    const doc = out.doc;
    const names = loaded!.patches ?? [loaded!.provenance.patch as string ?? '(workspace)'];
    const head = `<p id="lh-result-note">${esc(run.kind)} on ${esc(doc.backend)}: ${doc.fits} fits${doc.fits_not_converged ? `, <b>${doc.fits_not_converged} not converged</b>` : ''} in ${out.seconds.toFixed(2)} s</p>`;
    let body = '';
    if (run.kind === 'fit') {
      const r = out.rows as { bestfit: Record<string, number | number[]>; uncertainties: Record<string, number | number[]>; twice_nll: number; status: string }[];
      body = r.map((x, i) => `<details${i === 0 ? ' open' : ''}><summary>${esc(names[i])}: twice_nll ${fmt(x.twice_nll, 10)} (${esc(x.status)})</summary><table class="summary lh-fit"><tr><th>parameter</th><th>best fit</th><th>uncertainty</th></tr>${Object.keys(x.bestfit).map((k) => `<tr><td>${esc(k)}</td><td class="num">${fmt(x.bestfit[k])}</td><td class="num">${fmt(x.uncertainties[k])}</td></tr>`).join('')}</table></details>`).join('');
    } else {
      const ul = run.kind === 'upper-limit';
      const r = out.rows as { obs?: number; exp?: number[]; CLs_obs?: number; CLs_exp?: number[]; CLs_obs_error?: number; CLs_exp_error?: number[]; toys_not_converged?: { s_plus_b: number; b_only: number } }[];
      const err = (e: number | undefined) => (e === undefined ? '' : ` ± ${fmt(e, 2)}`);
      const nc = (x: { toys_not_converged?: { s_plus_b: number; b_only: number } }) => (x.toys_not_converged ? `<td class="num">${x.toys_not_converged.s_plus_b} / ${x.toys_not_converged.b_only}</td>` : '');
      const toys = doc.calculator === 'toys';
      body = `${toys ? `<p>${esc(doc.toys)} toys per hypothesis, seed ${esc(doc.seed)}; errors are the toys' statistical errors</p>` : ''}<table class="summary" id="lh-table"><tr><th>patch</th><th>${ul ? 'observed limit' : 'CLs observed'}</th>${['−2σ', '−1σ', 'median', '+1σ', '+2σ'].map((s) => `<th>expected ${s}</th>`).join('')}${toys ? '<th>toys not converged (s+b / b)</th>' : ''}</tr>${r.map((x, i) => `<tr><td>${esc(names[i])}</td><td class="num">${fmt(x.obs ?? x.CLs_obs)}${err(x.CLs_obs_error)}</td>${(x.exp ?? x.CLs_exp!).map((v, k) => `<td class="num">${fmt(v, 5)}${err(x.CLs_exp_error?.[k])}</td>`).join('')}${nc(x)}</tr>`).join('')}</table>`;
    }
    $('lh-result').innerHTML = head + body;
    const box = $('lh-plots');
    box.innerHTML = '';
    for (const f of last!.figs) {
      const fig = document.createElement('figure');
      fig.className = 'plot';
      fig.id = `lh-plot-${f.name}`;
      fig.innerHTML = f.svg + (f.missing.length ? `<figcaption>not shown (no ${last!.run.kind === 'cls' ? 'CLs' : 'crossing of CLs = 1 − CL'}): ${esc(f.missing.join(', '))}</figcaption>` : '');
      box.append(fig);
    }
  }

  function readRun(kind: LikelihoodRun['kind']): LikelihoodRun {
    const num = (id: string, what: string) => {
      const el = $<HTMLInputElement>(id);
      const v = Number(el.value);
      if (el.value.trim() === '' || !Number.isFinite(v)) throw new Error(`${what}: expected a number, got '${el.value}'`);
      return v;
    };
    const stat = sel('lh-stat').value as TestStat;
    if (kind === 'fit') return { kind };
    const toys = sel('lh-calc').value === 'toys';
    if (kind === 'cls') {
      if (!toys) return { kind, poi: num('lh-poi', 'POI value'), stat };
      const int = (id: string, what: string, lo: number, hi: number) => {
        const v = num(id, what);
        if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${what}: expected an integer in [${lo}, ${hi}], got ${v}`);
        return v;
      };
      return { kind, poi: num('lh-poi', 'POI value'), stat, toys: { toys: int('lh-toys', 'toys', 1, 1e7), seed: int('lh-seed', 'seed', 0, 2 ** 32 - 1) } };
    }
    if (toys) throw new Error('toys on the page: CLs at a POI value (upper limits from toys: `darkscan upper-limit --calculator toys`)');
    const cl = num('lh-cl', 'CL');
    if (!(cl > 0 && cl < 1)) throw new Error(`CL: expected a number in (0, 1), got ${cl}`);
    return { kind, cl, stat: stat as 'qtilde' | 'q' };
  }

  async function run(kind: LikelihoodRun['kind']): Promise<Record<string, unknown>> {
    if (!loaded) throw new Error('load a pyhf workspace first');
    const r = readRun(kind);
    const l = loaded;
    d.progress(0.02);
    d.status(`preparing the backend for ${kind}…`);
    const h = await d.currentBackend();
    abort = new AbortController();
    $<HTMLButtonElement>('lh-stop').disabled = false;
    d.log(`likelihood: ${kind} of ${l.models.length} model(s) on ${h.name}`);
    try {
      const out = await runLikelihood(h.backend, l, r, {
        signal: abort.signal,
        progress: (msg, f) => {
          d.progress(f);
          d.status(`${kind} on ${h.name}: ${msg}`);
          d.log(`likelihood: ${msg}`);
        },
      });
      last = { run: r, out, figs: r.kind === 'fit' ? [] : limitFigures(l, out.doc, out.rows) };
      showResult(r, out);
      $('lh-error').textContent = '';
      d.status(`done: ${kind}, ${out.doc.fits} fits in ${out.seconds.toFixed(2)} s on ${h.name}`);
      d.log(`likelihood: ${kind} done in ${out.seconds.toFixed(3)} s on ${h.name}`);
      d.progress(1);
      return out.doc;
    } finally {
      abort = undefined;
    }
  }

  const fitBtn = d.guard(() => run('fit')), clsBtn = d.guard(() => run('cls')), ulBtn = d.guard(() => run('upper-limit'));
  $('lh-fit').addEventListener('click', () => void fitBtn().catch(() => {}));
  $('lh-cls').addEventListener('click', () => void clsBtn().catch(() => {}));
  $('lh-ul').addEventListener('click', () => void ulBtn().catch(() => {}));
  $('lh-stop').addEventListener('click', () => abort?.abort(new Error('stopped by the user')));
  const base = () => (last ? `darkscan-${last.run.kind}` : 'darkscan');
  const downloadJson = () => last && d.save(JSON.stringify(last.out.doc), 'application/json', `${base()}.json`);
  const svgDownload = () => {
    if (!last?.figs.length) return undefined;
    if (last.figs.length === 1) return { name: `${last.figs[0].name}.svg`, type: 'image/svg+xml', data: last.figs[0].svg };
    return { name: `${base()}-plots.zip`, type: 'application/zip', data: zipStore(last.figs.map((f) => ({ name: `${f.name}.svg`, text: f.svg }))) };
  };
  $('lh-json').addEventListener('click', downloadJson);
  $('lh-svg').addEventListener('click', () => {
    const s = svgDownload();
    if (s) d.save(s.data, s.type, s.name);
  });
  $('lh-hepdata').addEventListener('click', () => {
    if (!last?.figs.length) return;
    try {
      const h = hepdataOf(last.figs);
      d.save(h.data, h.type, h.name);
    } catch (e) {
      showError(e);
    }
  });
  sel('lh-ws').addEventListener('change', () => {
    const ws = files.workspaces[Number(sel('lh-ws').value)];
    const pair = ws && pairedPatchset(files, ws);
    sel('lh-ps').value = pair ? String(files.patchsets.indexOf(pair)) : '';
    choose();
  });
  sel('lh-ps').addEventListener('change', choose);
  const input = $<HTMLInputElement>('lh-files');
  input.addEventListener('change', () => void takeFiles(Array.from(input.files ?? [])));
  const drop = $('lh-drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void takeFiles(Array.from(e.dataTransfer?.files ?? []));
  });

  /** The hooks the browser test uses: the form is filled, then the buttons' own code runs. */
  return {
    load: (list: { name: string; bytes: number[] }[]) => takeFiles(list.map((f) => new File([Uint8Array.from(f.bytes)], f.name))).then(() => ({ error: $('lh-error').textContent, summary: loaded && summarize(loaded) })),
    run: async (kind: LikelihoodRun['kind'], o: { backend?: string; workers?: number; poi?: number; cl?: number; stat?: string; calculator?: string; toys?: number; seed?: number } = {}) => {
      if (o.backend) sel('backend').value = o.backend;
      if (o.workers !== undefined) $<HTMLInputElement>('workers').value = String(o.workers);
      if (o.poi !== undefined) $<HTMLInputElement>('lh-poi').value = String(o.poi);
      if (o.cl !== undefined) $<HTMLInputElement>('lh-cl').value = String(o.cl);
      if (o.stat !== undefined) sel('lh-stat').value = o.stat;
      sel('lh-calc').value = o.calculator ?? 'asymptotic';
      if (o.toys !== undefined) $<HTMLInputElement>('lh-toys').value = String(o.toys);
      if (o.seed !== undefined) $<HTMLInputElement>('lh-seed').value = String(o.seed);
      return (kind === 'fit' ? fitBtn : kind === 'cls' ? clsBtn : ulBtn)();
    },
    /** What the downloads hold: the JSON text, the SVG(s), the HEPData YAML. */
    json: () => (last ? JSON.stringify(last.out.doc) : null),
    /** Seconds of the last run (from the session's start to the document). */
    seconds: () => last?.out.seconds ?? null,
    svg: () => last?.figs.map((f) => f.svg) ?? [],
    hepdata: () => (last?.figs.length === 1 ? hepdataOf(last.figs).data : null),
    error: () => $('lh-error').textContent,
  };
}
