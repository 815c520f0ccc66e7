// What a dark Higgsstrahlung result looks like as files: results.json, HEPData (submission + one
// table per M_h' slice) and SVG plots, as (name, text) pairs. Pure (no node: imports): the Node
// report (report.ts) writes them to a folder, the browser page shows and downloads them.
import { hepdataLimitYaml, hepdataSubmissionYaml } from '../io/hepdata.js';
import { brazilPlot, mapPlot } from '../plot/svg.js';
import type { DarkHiggsResult, WindowResult } from './darkhiggs.js';

/** M_h' slices shown in the limit plots and HEPData tables (the grid row nearest each). */
export const SLICES_GeV = [0.5, 1, 2, 4];

export function slices(r: DarkHiggsResult): { target: number; mh: number; windows: WindowResult[] }[] {
  const rowsMh = [...new Set(r.windows.map((w) => w.m_recoil_GeV))].sort((a, b) => a - b);
  return SLICES_GeV.map((target) => {
    const mh = rowsMh.reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best), rowsMh[0]);
    const windows = r.windows.filter((w) => w.m_recoil_GeV === mh && w.sigma_up_fb !== null).sort((a, b) => a.m_mumu_GeV - b.m_mumu_GeV);
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
export function resultsJson(r: DarkHiggsResult): string {
  return JSON.stringify(r, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1);
}

/** Every report file, in the order writeReport writes them. */
export function renderReport(r: DarkHiggsResult): ReportFile[] {
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
      x: { label: "M_A' [GeV]" }, y: { label: 'σ [fb]', log: true }, mass: ws.map((w) => w.m_mumu_GeV),
      observed: ws.map((w) => w.sigma_up_fb as number), expected: ws.map((w) => w.sigma_up_expected_fb as number[]), note,
    }));
    const dataFile = `hepdata_${tag}.yaml`;
    put(dataFile, hepdataLimitYaml({
      mass: ws.map((w) => w.m_mumu_GeV), observed: ws.map((w) => w.sigma_up_fb as number),
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
    px: ws.map((w) => w.m_mumu_GeV), py: ws.map((w) => w.m_recoil_GeV), value: ws.map((w) => w.z_local), valueLabel: 'local Z',
    rx: ws.map((w) => w.semi_axis_m_mumu_GeV / 2), ry: ws.map((w) => w.semi_axis_m_recoil_GeV / 2), note,
  }));
  put('map_limit.svg', mapPlot({
    title: `${cl} upper limit on ε²α_D`, x: { label: "M_A' [GeV]" }, y: { label: "M_h' [GeV]" },
    px: ws.map((w) => w.m_mumu_GeV), py: ws.map((w) => w.m_recoil_GeV), value: ws.map((w) => w.eps2_alphaD_up ?? Number.NaN), valueLabel: 'ε²α_D upper limit', logValue: true,
    rx: ws.map((w) => w.semi_axis_m_mumu_GeV / 2), ry: ws.map((w) => w.semi_axis_m_recoil_GeV / 2), note,
  }));
  put('results.json', resultsJson(r));
  return files;
}
