import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { runSearch } from '../analyses/search.js';
import { DARK_HIGGSSTRAHLUNG } from '../analyses/searches.js';
import { writeReport } from '../analyses/report.js';
import { parseLimitMethod, PIPELINE_LIMIT_METHODS } from '../stats/windows.js';
import { BACKEND_FLAGS, intArg, numArg, withBackend, type Command } from './args.js';

const OPTIONS = {
  out: { type: 'string', default: 'demo-out', arg: 'DIR', help: 'output folder (results.json, hepdata*.yaml, SVG plots)' },
  seed: { type: 'string', default: '1', arg: 'S', help: 'seed of every simulated sample and pseudo-experiment' },
  lumi: { type: 'string', default: '8.34', arg: 'FB', help: 'integrated luminosity, fb^-1 (8.34: the 2019 data of the published search)' },
  cl: { type: 'string', default: '0.9', arg: 'CL', help: 'confidence level of the limits' },
  method: { type: 'string', default: 'bayes', arg: 'M', help: 'limit method: bayes or cls-asymptotic' },
  'pseudo-experiments': { type: 'string', arg: 'N', help: 'background-only pseudo-experiments for the global significance (default: 100, 20 with --quick)' },
  inject: { type: 'string', arg: 'MA,MH,EVENTS', help: "inject a signal: M_A' and M_h' in GeV, number of events" },
  'mlp-keep-signal': { type: 'string', arg: 'F', help: "the MLP working point: fraction of its training signal above the score cut, in (0, 1] (default 0.85; the tau tau share of the background follows it, README Searches)" },
  quick: { type: 'boolean', help: 'smaller samples and fewer pseudo-experiments (seconds)' },
  json: { type: 'boolean', help: 'print the summary as JSON' },
  ...BACKEND_FLAGS,
} as const;

export const demo: Command = {
  summary: 'the dark Higgsstrahlung search end to end on simulated Belle II data: scan, limits, plots, HEPData',
  usage: 'demo [--out DIR] [--seed S] [--lumi FB] [--cl 0.9] [--method bayes|cls-asymptotic] [--pseudo-experiments N] [--inject MA,MH,EVENTS] [--mlp-keep-signal F] [--quick] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const method = parseLimitMethod(values.method!, '--method', PIPELINE_LIMIT_METHODS);
    let inject: { masses: number[]; events: number } | undefined;
    if (values.inject !== undefined) {
      const parts = values.inject.split(',');
      if (parts.length !== 3) throw new Error(`--inject: expected MA,MH,EVENTS (GeV, GeV, produced events), got '${values.inject}'`);
      inject = { masses: [numArg(parts[0], '--inject M_A', 0.22, 10.5), numArg(parts[1], '--inject M_h', 0.001, 10.5)], events: intArg(parts[2], '--inject EVENTS', 0, 1e7) };
    }
    const quick = !!values.quick;
    return withBackend(values, async (backend) => {
      const r = await runSearch(backend, DARK_HIGGSSTRAHLUNG, {
        seed: intArg(values.seed!, '--seed'), lumiFb: numArg(values.lumi!, '--lumi', 1e-6, 1e4), cl: numArg(values.cl!, '--cl', 0.5, 0.9999), method,
        pseudoExperiments: values['pseudo-experiments'] !== undefined ? intArg(values['pseudo-experiments'], '--pseudo-experiments', 0, 1e6) : quick ? 20 : 100,
        maxEventsPerBackground: quick ? 30_000 : undefined, signalEventsPerPoint: quick ? 400 : undefined, trainEvents: quick ? 3000 : undefined,
        mlpKeepSignal: values['mlp-keep-signal'] !== undefined ? numArg(values['mlp-keep-signal'], '--mlp-keep-signal', 1e-6, 1) : undefined,
        inject, progress: ctx.progress, signal: ctx.signal,
      });
      const dir = resolve(values.out!);
      const files = writeReport(r, dir);
      if (values.json) {
        out(JSON.stringify({ out: dir, files, global: r.global, timing_s: r.timing_s, seed: r.seed }));
        return 0;
      }
      const g = r.global as Record<string, number | null>;
      const best = r.windows[g.window as number];
      out(`darkscan demo: dark Higgsstrahlung, ${r.lumi_fb} fb^-1 simulated, seed ${r.seed}, backend ${r.backend.name} (${r.backend.description ?? r.backend.build ?? ''})`);
      out(`  selected: ${(r.samples as Record<string, number>).data_candidates} data events, MLP ${(r.mlp as Record<string, string>).shape} (train AUC ${Number(r.mlp!.roc_auc_train).toFixed(3)})`);
      out(`  ${r.windows.length} windows scanned; most significant at M_mumu = ${best.m_mumu_GeV!.toFixed(3)} GeV, M_recoil = ${best.m_recoil_GeV!.toFixed(3)} GeV: n = ${best.n}, b = ${best.b.toFixed(2)}, local Z = ${best.z_local.toFixed(2)}`);
      out(`  global: p = ${g.p_global === null ? 'n/a' : g.p_global.toPrecision(3)} (Z = ${g.z_global === null ? 'n/a' : g.z_global.toFixed(2)}) from ${g.pseudo_experiments} pseudo-experiments`);
      out(`  ${Math.round(r.cl * 100)}% CL limits (${r.method}) for every window; time ${r.timing_s.total.toFixed(1)} s`);
      out(`  files in ${dir}:`);
      for (const f of files) out(`    ${f.slice(dir.length + 1)}`);
      return 0;
    });
  },
};
