// What a search result looks like as files, as (name, text) pairs: results.json, HEPData and SVG
// plots. The 2D search: one table and Brazil plot per M_h' slice, maps of local Z and of the
// coupling limit; 1D searches: cross-section and coupling limits against mass, local Z; the cell
// model's B -> K S searches: limits per channel and combined against m_S, a table per lifetime;
// iDM + dark Higgs: the (m_h', sin theta) plane per parameter set.
// Pure (no node: imports): the Node report (report.ts) writes them to a folder, the browser page
// shows and downloads them.
import { hepdataLimitYaml, hepdataSubmissionYaml } from '../io/hepdata.js';
import { brazilPlot, linePlot, mapPlot } from '../plot/svg.js';
import { PRODUCTIONS, type Production } from '../llp/sample.js';
import type { CellSearchResult, SearchResult, SearchWindow } from './search.js';

type DarkHiggsResult = SearchResult;
type WindowResult = SearchWindow;

/** M_h' slices shown in the limit plots and HEPData tables (the grid row nearest each). */
export const SLICES_GeV = [0.5, 1, 2, 4];

export function slices(r: DarkHiggsResult): { target: number; mh: number; windows: WindowResult[] }[] {
  const rowsMh = [...new Set(r.windows.map((w) => w.m_recoil_GeV!))].sort((a, b) => a - b);
  return SLICES_GeV.map((target) => {
    const mh = rowsMh.reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best), rowsMh[0]);
    const windows = r.windows.filter((w) => w.m_recoil_GeV === mh && w.sigma_up_fb !== null).sort((a, b) => a.m_mumu_GeV! - b.m_mumu_GeV!);
    return { target, mh, windows };
  }).filter((s) => s.windows.length > 1);
}

export interface ReportFile {
  /** File name (no folder), e.g. 'map_local_z.svg'. */
  readonly name: string;
  readonly text: string;
  readonly kind: 'svg' | 'hepdata' | 'json';
}

/** results.json as written: non-finite numbers as null. */
export function resultsJson(r: SearchResult | CellSearchResult): string {
  return JSON.stringify(r, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1);
}

/** Every report file of a result, in the order writeReport writes them. */
export function renderReport(r: SearchResult | CellSearchResult): ReportFile[] {
  if (r.kind !== 'darkscan-analysis') return (r as CellSearchResult).report === 'plane' ? renderPlane(r as CellSearchResult) : renderLifetimes(r as CellSearchResult);
  const e = r as SearchResult;
  return e.variables.length === 2 ? render2D(e) : render1D(e);
}

/** SVG (B -> K S): a limit against m_S, one line per (every ~L/6-th) lifetime; value(im, j) at mass im, lifetime j. */
export function limitVsMassSvg(p: { masses: readonly number[]; ctaus: readonly number[]; value: (im: number, j: number) => number; title: string; yLabel: string; note?: string }): string {
  const L = p.ctaus.length, step = Math.max(1, Math.floor(L / 6));
  const series = [];
  for (let j = 0; j < L; j += step) series.push({ x: [...p.masses], y: p.masses.map((_, im) => p.value(im, j)), label: `c tau = ${p.ctaus[j].toPrecision(3)} cm` });
  return linePlot({ title: p.title, x: { label: 'm_S [GeV]' }, y: { label: p.yLabel, log: true }, series, note: p.note });
}

/** The branching-fraction label of a production mode's limits. */
export const limitLabel = (production: Production) => (production === 'K+' ? 'B(B+ -> K+ S)' : 'B(B0 -> K*0(-> K+ pi-) S)');

/** How the limits of a B -> K S result were set: the fit model, or the counting method. */
export const llpLimitHow = (r: Record<string, unknown>): string => (r.model === 'fit' ? 'binned M_red fit per (m_S, channel), asymptotic CLs' : String(r.method));

type LifetimeCell = { m_S_GeV: number; channels: { channel: string; limit: (number | null)[] }[]; combined_limit: (number | null)[] };

/** B -> K S: results.json, hepdata.yaml (one table per lifetime: limit per channel vs m_S), an SVG per channel and the combination. */
function renderLifetimes(res: CellSearchResult): ReportFile[] {
  const files: ReportFile[] = [{ name: 'results.json', text: resultsJson(res), kind: 'json' }];
  const cells = res.cells as LifetimeCell[], ctaus = res.ctaus_cm as number[], channels = res.channels as string[];
  const production = res.production as Production, cl = res.cl, pct = `${Math.round(cl * 100)}%`;
  const masses = cells.map((c) => c.m_S_GeV);
  const label = limitLabel(production), note = 'demo: generated signal, illustrative background';
  const tables = [];
  for (const [j, ct] of ctaus.entries()) {
    const dep = [...channels.map((ch, ic) => ({ name: `${label} x B(S -> ${ch})`, vals: cells.map((c) => c.channels[ic].limit[j]) })), { name: `${label} (channels combined, br_model)`, vals: cells.map((c) => c.combined_limit[j]) }];
    const lines = ['independent_variables:', '- header: {name: "M(S)", units: GeV}', '  values:', ...masses.map((m) => `  - {value: ${m}}`), 'dependent_variables:'];
    for (const d of dep) {
      lines.push(`- header: {name: ${JSON.stringify(d.name)}}`, '  qualifiers:', `  - {name: "CTAU", value: "${ct} cm"}`, `  - {name: CL, value: "${pct}"}`, `  - {name: "N(BBBAR)", value: ${res.n_BBbar}}`, '  values:', ...d.vals.map((v) => (v === null ? "  - {value: '-'}" : `  - {value: ${v}}`)));
    }
    const name = `hepdata_ctau${j}.yaml`;
    files.push({ name, kind: 'hepdata', text: `# ${PRODUCTIONS[production].name}, c tau = ${ct} cm\n${lines.join('\n')}\n` });
    tables.push({ name: `Limits, c tau = ${ct} cm`, description: `${pct} CL upper limits (${llpLimitHow(res)}) on ${label} x B(S -> xx) per channel and combined, against m_S, at c tau = ${ct} cm; ${note}`, dataFile: name, keywords: { reactions: [production === 'K+' ? 'B+ --> K+ S' : 'B0 --> K*0 S'] } });
  }
  files.push({ name: 'hepdata.yaml', kind: 'hepdata', text: hepdataSubmissionYaml(tables, `darkscan ${res.analysis}, seed ${res.seed}, N_BB = ${res.n_BBbar}; ${res.paper}`) });
  const plot = (name: string, what: string, yLabel: string, value: (im: number, j: number) => number | null) =>
    files.push({ name, kind: 'svg', text: limitVsMassSvg({ masses, ctaus, value: (im, j) => value(im, j) ?? NaN, title: `${PRODUCTIONS[production].name}, ${what}: ${pct} CL upper limit (${llpLimitHow(res)})`, yLabel, note }) });
  channels.forEach((ch, ic) => plot(`limit_${ch}.svg`, `S -> ${ch}`, `${label} x B(S -> ${ch})`, (im, j) => cells[im].channels[ic].limit[j]));
  plot('limit_combined.svg', `channels combined`, label, (im, j) => cells[im].combined_limit[j]);
  return files;
}

function render2D(r: DarkHiggsResult): ReportFile[] {
  const files: ReportFile[] = [];
  const put = (name: string, text: string) => files.push({ name, text, kind: name.endsWith('.svg') ? 'svg' : name.endsWith('.json') ? 'json' : 'hepdata' });
  const cl = `${Math.round(r.cl * 100)}% CL`;
  const note = `seed ${r.seed}, ${r.lumi_fb} fb⁻¹, ${r.backend.name}`;
  const tables: { name: string; description: string; dataFile: string; keywords?: Record<string, string[]> }[] = [];
  for (const s of slices(r)) {
    const tag = `mh_${s.mh.toFixed(3)}GeV`;
    const ws = s.windows;
    const exp = (k: number) => ws.map((w) => w.sigma_up_expected_fb[k] as number);
    put(`limit_sigma_${tag}.svg`, brazilPlot({
      title: `σ(e⁺e⁻ → A'h', A' → μμ) upper limit, ${cl}, M_h' = ${s.mh.toFixed(2)} GeV`,
      x: { label: "M_A' [GeV]" }, y: { label: 'σ [fb]', log: true }, mass: ws.map((w) => w.m_mumu_GeV!),
      observed: ws.map((w) => w.sigma_up_fb as number), expected: ws.map((w) => w.sigma_up_expected_fb as number[]), note,
    }));
    const dataFile = `hepdata_${tag}.yaml`;
    put(dataFile, hepdataLimitYaml({
      mass: ws.map((w) => w.m_mumu_GeV!), observed: ws.map((w) => w.sigma_up_fb as number),
      expected: exp(2), expectedMinus1: exp(1), expectedPlus1: exp(3), expectedMinus2: exp(0), expectedPlus2: exp(4),
      massName: "M_{A'}", massUnits: 'GeV', limitName: "sigma(e+e- -> A'h', A' -> mu+mu-, h' invisible)", limitUnits: 'fb', cl: r.cl,
      description: `darkscan demo on simulated data (seed ${r.seed}); not a Belle II result`,
      qualifiers: { "M_{h'}": `${s.mh.toFixed(4)} GeV`, 'SQRT(S)': '10.58 GeV', LUMINOSITY: `${r.lumi_fb} fb^-1` },
    }));
    tables.push({ name: `Limit at M_h' = ${s.mh.toFixed(2)} GeV`, description: `Observed and expected ${cl} upper limits on the cross section against M_A'`, dataFile, keywords: { observables: ['SIG'], reactions: ["E+ E- --> A' H'"] } });
  }
  put('hepdata.yaml', hepdataSubmissionYaml(tables, `darkscan ${r.analysis} demo, simulated data, seed ${r.seed}, ${r.lumi_fb} fb^-1`));
  const ws = r.windows;
  put('map_local_z.svg', mapPlot({
    title: 'local significance Z per window', x: { label: "M_μμ [GeV]" }, y: { label: 'M_recoil [GeV]' },
    px: ws.map((w) => w.m_mumu_GeV!), py: ws.map((w) => w.m_recoil_GeV!), value: ws.map((w) => w.z_local), valueLabel: 'local Z',
    rx: ws.map((w) => w.semi_axis_m_mumu_GeV! / 2), ry: ws.map((w) => w.semi_axis_m_recoil_GeV! / 2), note,
  }));
  put('map_limit.svg', mapPlot({
    title: `${cl} upper limit on ${r.coupling.symbol}${r.coupling.illustrative ? ' (illustrative σ(coupling))' : ''}`, x: { label: "M_A' [GeV]" }, y: { label: "M_h' [GeV]" },
    px: ws.map((w) => w.m_mumu_GeV!), py: ws.map((w) => w.m_recoil_GeV!), value: ws.map((w) => w.coupling_up ?? Number.NaN), valueLabel: `${r.coupling.symbol} upper limit`, logValue: true,
    rx: ws.map((w) => w.semi_axis_m_mumu_GeV! / 2), ry: ws.map((w) => w.semi_axis_m_recoil_GeV! / 2), note,
  }));
  put('results.json', resultsJson(r));
  return files;
}

/** Windows with finite limits and ordered bands, by ascending mass (HEPData and plots). */
function limitRows(r: SearchResult, pick: (w: SearchWindow) => { obs: number | null; exp: (number | null)[] }): { mass: number[]; obs: number[]; exp: number[][] } {
  const out: { mass: number; obs: number; exp: number[] }[] = [];
  for (const w of r.windows) {
    const { obs, exp } = pick(w);
    if (obs === null || !Number.isFinite(obs) || exp.some((e) => e === null || !Number.isFinite(e))) continue;
    out.push({ mass: w.mass_GeV!, obs, exp: exp as number[] });
  }
  out.sort((a, b) => a.mass - b.mass);
  return { mass: out.map((o) => o.mass), obs: out.map((o) => o.obs), exp: out.map((o) => o.exp) };
}

function render1D(r: SearchResult): ReportFile[] {
  const files: ReportFile[] = [];
  const put = (name: string, text: string) => files.push({ name, text, kind: name.endsWith('.svg') ? 'svg' : name.endsWith('.json') ? 'json' : 'hepdata' });
  const cl = `${Math.round(r.cl * 100)}% CL`;
  const note = `seed ${r.seed}, ${r.lumi_fb} fb⁻¹, ${r.backend.name}`;
  const massLabel = `${r.mass_names[0].replace(/[{}_]/g, '')} [GeV]`;
  const c = r.coupling;
  const tables: { name: string; description: string; dataFile: string; keywords?: Record<string, string[]> }[] = [];
  const quals = { 'SQRT(S)': '10.58 GeV', LUMINOSITY: `${r.lumi_fb} fb^-1` };
  const sig = limitRows(r, (w) => ({ obs: w.sigma_up_fb, exp: w.sigma_up_expected_fb }));
  const cpl = limitRows(r, (w) => ({ obs: w.coupling_up, exp: w.coupling_up_expected }));
  const col = (e: number[][], k: number) => e.map((x) => x[k]);
  const desc = `darkscan ${r.analysis} on ${r.samples.data && (r.samples.data as Record<string, unknown>).file ? 'file data' : 'simulated data'} (seed ${r.seed}); not a Belle II result`;
  if (sig.mass.length) {
    put('limit_sigma.svg', brazilPlot({
      title: `${r.limit_name} upper limit, ${cl}`, x: { label: massLabel }, y: { label: 'σ [fb]', log: true },
      mass: sig.mass, observed: sig.obs, expected: sig.exp, note,
    }));
    put('hepdata_sigma.yaml', hepdataLimitYaml({
      mass: sig.mass, observed: sig.obs, expected: col(sig.exp, 2), expectedMinus1: col(sig.exp, 1), expectedPlus1: col(sig.exp, 3),
      expectedMinus2: col(sig.exp, 0), expectedPlus2: col(sig.exp, 4), massName: r.mass_names[0], massUnits: 'GeV', limitName: r.limit_name, limitUnits: 'fb',
      cl: r.cl, description: desc, qualifiers: quals,
    }));
    tables.push({ name: 'Cross-section limit', description: `Observed and expected ${cl} upper limits on ${r.limit_name} against ${r.mass_names[0]}`, dataFile: 'hepdata_sigma.yaml', keywords: { observables: ['SIG'], reactions: [r.reaction] } });
  }
  if (cpl.mass.length) {
    put('limit_coupling.svg', brazilPlot({
      title: `${c.symbol} upper limit, ${cl}${c.illustrative ? ' (illustrative σ(coupling))' : ''}`, x: { label: massLabel }, y: { label: c.symbol + (c.units ? ` [${c.units}]` : ''), log: true },
      mass: cpl.mass, observed: cpl.obs, expected: cpl.exp, note,
    }));
    put('hepdata_coupling.yaml', hepdataLimitYaml({
      mass: cpl.mass, observed: cpl.obs, expected: col(cpl.exp, 2), expectedMinus1: col(cpl.exp, 1), expectedPlus1: col(cpl.exp, 3),
      expectedMinus2: col(cpl.exp, 0), expectedPlus2: col(cpl.exp, 4), massName: r.mass_names[0], massUnits: 'GeV', limitName: c.name, limitUnits: c.units,
      cl: r.cl, description: `${desc}; ${c.formula}${c.illustrative ? ' (illustrative)' : ''}`, qualifiers: quals,
    }));
    tables.push({ name: 'Coupling limit', description: `Observed and expected ${cl} upper limits on ${c.symbol} against ${r.mass_names[0]}`, dataFile: 'hepdata_coupling.yaml', keywords: { reactions: [r.reaction] } });
  }
  const bf = r.branching_fraction ? limitRows(r, (w) => ({ obs: w.bf_up ?? null, exp: w.bf_up_expected ?? [] })) : null;
  if (r.branching_fraction && bf?.mass.length) {
    const b = r.branching_fraction;
    put('limit_bf.svg', brazilPlot({ title: `${b.symbol} upper limit, ${cl}`, x: { label: massLabel }, y: { label: b.symbol, log: true }, mass: bf.mass, observed: bf.obs, expected: bf.exp, note }));
    put('hepdata_bf.yaml', hepdataLimitYaml({
      mass: bf.mass, observed: bf.obs, expected: col(bf.exp, 2), expectedMinus1: col(bf.exp, 1), expectedPlus1: col(bf.exp, 3),
      expectedMinus2: col(bf.exp, 0), expectedPlus2: col(bf.exp, 4), massName: r.mass_names[0], massUnits: 'GeV', limitName: b.name, limitUnits: '',
      cl: r.cl, description: `${desc}; ${b.source}`, qualifiers: quals,
    }));
    tables.push({ name: 'Branching-fraction limit', description: `Observed and expected ${cl} upper limits on ${b.name} against ${r.mass_names[0]}`, dataFile: 'hepdata_bf.yaml', keywords: { observables: ['BR'], reactions: [r.reaction] } });
  }
  if (!tables.length) throw new Error(`${r.analysis}: no window has a finite limit (no signal efficiency?); nothing to write to HEPData`);
  put('hepdata.yaml', hepdataSubmissionYaml(tables, `darkscan ${r.analysis}, ${desc}, ${r.lumi_fb} fb^-1`));
  const byMass = [...r.windows].sort((a, b) => a.mass_GeV! - b.mass_GeV!);
  put('local_z.svg', linePlot({
    title: r.global.fit_max_z_local !== undefined
      ? `local significance per window (${r.variable_labels[0]}; fits: max Z = ${Number(r.global.fit_max_z_local).toFixed(2)}, global p = ${r.global.fit_p_global === null ? 'n/a' : Number(r.global.fit_p_global).toPrecision(2)})`
      : `local significance per window (${r.variable_labels[0]}; max Z = ${Number(r.global.max_z_local).toFixed(2)})`,
    x: { label: massLabel }, y: { label: 'local Z' }, note,
    series: [{ x: byMass.map((w) => w.mass_GeV!), y: byMass.map((w) => w.z_local), label: 'local Z', color: '#1f77b4' }],
  }));
  put('results.json', resultsJson(r));
  return files;
}

function hepdata2D(name: string, xs: number[], ys: number[], zs: (number | null)[], zName: string, zUnits: string, quals: Record<string, string | number>): string {
  const keep = zs.map((z, i) => (z !== null && Number.isFinite(z) ? i : -1)).filter((i) => i >= 0);
  if (!keep.length) return `# ${name}\n# no point with a finite value\nindependent_variables: []\ndependent_variables: []\n`;
  const lines = [
    'independent_variables:',
    `- header: {name: "M_{h'}", units: GeV}`, '  values:', ...keep.map((i) => `  - {value: ${xs[i]}}`),
    '- header: {name: "SIN(THETA)"}', '  values:', ...keep.map((i) => `  - {value: ${ys[i]}}`),
    'dependent_variables:',
    `- header: {name: ${JSON.stringify(zName)}, units: ${JSON.stringify(zUnits)}}`,
    '  qualifiers:', ...Object.entries(quals).map(([k, v]) => `  - {name: ${JSON.stringify(k)}, value: ${JSON.stringify(v)}}`),
    '  values:', ...keep.map((i) => `  - {value: ${zs[i]}}`),
  ];
  return `# ${name}\n${lines.join('\n')}\n`;
}

/** iDM + dark Higgs: results.json, hepdata.yaml with one table per parameter set, and a 2D exclusion SVG per set. */
function renderPlane(res: CellSearchResult): ReportFile[] {
  const files: ReportFile[] = [{ name: 'results.json', text: resultsJson(res), kind: 'json' }];
  const sinT = res.sin_theta as number[], cl = res.cl as number;
  const tables: { name: string; description: string; dataFile: string; keywords?: Record<string, string[]> }[] = [];
  for (const set of res.parameter_sets as { set: number; label: string; m_A_GeV: number; m_chi1_GeV: number; dm_GeV: number; alpha_D: number; epsilon: number; points: { m_h_GeV: number; in_model: boolean; ratio_to_model?: (number | null)[]; combined_limit_fb?: (number | null)[] }[] }[]) {
    const xs: number[] = [], ys: number[] = [], ratio: (number | null)[] = [], lim: (number | null)[] = [];
    const ms = set.points.map((p) => p.m_h_GeV);
    const dmh = ms.length > 1 ? (ms[ms.length - 1] - ms[0]) / (ms.length - 1) / 2 : 0.05;
    const step = sinT.length > 1 ? Math.sqrt(sinT[1] / sinT[0]) : 1.2;
    for (const p of set.points) {
      if (!p.in_model) continue;
      sinT.forEach((s, j) => (xs.push(p.m_h_GeV), ys.push(s), ratio.push(p.ratio_to_model![j]), lim.push(p.combined_limit_fb![j])));
    }
    const tag = `set${set.set}`;
    const desc = `m_A' = ${set.m_A_GeV} GeV, m(chi1) = ${set.m_chi1_GeV} GeV, dm = ${set.dm_GeV} GeV, alpha_D = ${set.alpha_D}, eps = ${set.epsilon}`;
    const quals = { 'SQRT(S)': '10.58 GeV', LUMINOSITY: `${res.lumi_fb} fb^-1`, CL: `${Math.round(cl * 100)}%`, PARAMETERS: desc };
    const reactions = { reactions: ["E+ E- --> A' H', A' --> CHI1 CHI2"] };
    files.push({ name: `hepdata_${tag}_ratio.yaml`, kind: 'hepdata', text: hepdata2D(`iDM + dark Higgs, ${desc}`, xs, ys, ratio, 'combined limit / model cross section', '', quals) });
    files.push({ name: `hepdata_${tag}_limit.yaml`, kind: 'hepdata', text: hepdata2D(`iDM + dark Higgs, ${desc}`, xs, ys, lim, 'SIG x B(chi2 -> chi1 e+e-)', 'fb', quals) });
    tables.push({ name: `Exclusion, ${set.label}`, description: `${Math.round(cl * 100)}% CL combined (mu mu, pi pi, K K) upper limit over the model cross section in the (m_h', sin theta) plane; < 1 excluded. ${desc}`, dataFile: `hepdata_${tag}_ratio.yaml`, keywords: reactions });
    tables.push({ name: `Combined limit, ${set.label}`, description: `${Math.round(cl * 100)}% CL upper limit on sigma(e+e- -> A'h') x B(chi2 -> chi1 e+e-) in the (m_h', sin theta) plane. ${desc}`, dataFile: `hepdata_${tag}_limit.yaml`, keywords: { ...reactions, observables: ['SIG'] } });
    const okR = ratio.map((v) => (v === null ? NaN : Math.min(1e4, Math.max(1e-4, v))));
    files.push({
      name: `exclusion_${tag}.svg`, kind: 'svg',
      text: mapPlot({
        title: `iDM + dark Higgs, ${set.label}: ${Math.round(cl * 100)}% CL σ_UL / σ_model (< 1 excluded)`,
        x: { label: "m_h' [GeV]" }, y: { label: 'sin θ', log: true }, px: xs, py: ys, value: okR, valueLabel: 'σ_UL / σ_model (log)', logValue: true,
        rx: xs.map(() => dmh), ry: ys.map((y) => y * (step - 1)),
        note: `${desc}; ${res.lumi_fb} fb^-1, simulation, illustrative background and cross section`,
      }),
    });
  }
  files.push({ name: 'hepdata.yaml', kind: 'hepdata', text: hepdataSubmissionYaml(tables, `darkscan ${res.analysis}, simulated data, seed ${res.seed}, ${res.lumi_fb} fb^-1`) });
  return files;
}
