// Writes a 1D search's result like the demo's: results.json, HEPData (submission + cross-section
// and coupling limit tables against mass), SVG plots (Brazil plots of both limits, local Z).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../output.js';
import { hepdataLimitYaml, hepdataSubmissionYaml } from '../io/hepdata.js';
import { brazilPlot, linePlot } from '../plot/svg.js';
import type { Search1DResult, Window1D } from './search1d.js';

/** Windows with finite limits and ordered bands, by ascending mass (HEPData and plots). */
function limitRows(r: Search1DResult, pick: (w: Window1D) => { obs: number | null; exp: (number | null)[] }): { mass: number[]; obs: number[]; exp: number[][] } {
  const out: { mass: number; obs: number; exp: number[] }[] = [];
  for (const w of r.windows) {
    const { obs, exp } = pick(w);
    if (obs === null || !Number.isFinite(obs) || exp.some((e) => e === null || !Number.isFinite(e))) continue;
    out.push({ mass: w.mass_GeV, obs, exp: exp as number[] });
  }
  out.sort((a, b) => a.mass - b.mass);
  return { mass: out.map((o) => o.mass), obs: out.map((o) => o.obs), exp: out.map((o) => o.exp) };
}

export function writeReport1D(r: Search1DResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    writeAtomic(join(dir, name), text);
    files.push(join(dir, name));
  };
  const cl = `${Math.round(r.cl * 100)}% CL`;
  const note = `seed ${r.seed}, ${r.lumi_fb} fb⁻¹, ${r.backend.name}`;
  const massLabel = `${r.mass_name.replace(/[{}_]/g, '')} [GeV]`;
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
      expectedMinus2: col(sig.exp, 0), expectedPlus2: col(sig.exp, 4), massName: r.mass_name, massUnits: 'GeV', limitName: r.limit_name, limitUnits: 'fb',
      cl: r.cl, description: desc, qualifiers: quals,
    }));
    tables.push({ name: 'Cross-section limit', description: `Observed and expected ${cl} upper limits on ${r.limit_name} against ${r.mass_name}`, dataFile: 'hepdata_sigma.yaml', keywords: { observables: ['SIG'], reactions: [r.reaction] } });
  }
  if (cpl.mass.length) {
    put('limit_coupling.svg', brazilPlot({
      title: `${c.symbol} upper limit, ${cl}${c.illustrative ? ' (illustrative σ(coupling))' : ''}`, x: { label: massLabel }, y: { label: c.symbol + (c.units ? ` [${c.units}]` : ''), log: true },
      mass: cpl.mass, observed: cpl.obs, expected: cpl.exp, note,
    }));
    put('hepdata_coupling.yaml', hepdataLimitYaml({
      mass: cpl.mass, observed: cpl.obs, expected: col(cpl.exp, 2), expectedMinus1: col(cpl.exp, 1), expectedPlus1: col(cpl.exp, 3),
      expectedMinus2: col(cpl.exp, 0), expectedPlus2: col(cpl.exp, 4), massName: r.mass_name, massUnits: 'GeV', limitName: c.name, limitUnits: c.units,
      cl: r.cl, description: `${desc}; ${c.formula}${c.illustrative ? ' (illustrative)' : ''}`, qualifiers: quals,
    }));
    tables.push({ name: 'Coupling limit', description: `Observed and expected ${cl} upper limits on ${c.symbol} against ${r.mass_name}`, dataFile: 'hepdata_coupling.yaml', keywords: { reactions: [r.reaction] } });
  }
  if (!tables.length) throw new Error(`${r.analysis}: no window has a finite limit (no signal efficiency?); nothing to write to HEPData`);
  put('hepdata.yaml', hepdataSubmissionYaml(tables, `darkscan ${r.analysis}, ${desc}, ${r.lumi_fb} fb^-1`));
  const byMass = [...r.windows].sort((a, b) => a.mass_GeV - b.mass_GeV);
  put('local_z.svg', linePlot({
    title: `local significance per window (${r.variable_label}; max Z = ${Number(r.global.max_z_local).toFixed(2)})`,
    x: { label: massLabel }, y: { label: 'local Z' }, note,
    series: [{ x: byMass.map((w) => w.mass_GeV), y: byMass.map((w) => w.z_local), label: 'local Z', color: '#1f77b4' }],
  }));
  put('results.json', JSON.stringify(r, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
  return files;
}
