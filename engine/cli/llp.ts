import { parseArgs } from 'node:util';
import { checkOutputPath, FORCE_FLAG, writeAtomic } from '../output.js';
import { parseShard, shardRange } from '../shard.js';
import { BACKEND_FLAGS, columnMapArg, COLUMNS_FLAG, intArg, numArg, withBackend, type Command } from './args.js';
import { parseChannels, parseProduction, CHANNELS, PRODUCTIONS, PRODUCTION_NAMES } from '../llp/sample.js';
import { parseLogGrid } from '../llp/sweep.js';
import { LIMIT_METHODS, type LimitMethod } from '../llp/limits.js';
import { parseLimitMethod } from '../stats/windows.js';
import { LLP_DEMO_MASSES, loadData, loadSignal } from '../llp/analysis.js';
import { limitLabel, limitVsMassSvg } from '../analyses/render.js';
import { runSearch } from '../analyses/search.js';
import { LLP_B_SEARCHES, type LlpBSettings } from '../analyses/searches-llp.js';
import { fileDigest } from '../provenance.js';

function range2(s: string, flag: string): [number, number] {
  const p = s.split(':').map(Number);
  if (p.length !== 2 || !(p[0] >= 0) || !(p[1] > p[0])) throw new Error(`${flag}: expected lo:hi with 0 <= lo < hi, got '${s}'`);
  return [p[0], p[1]];
}

const OPTIONS = {
  signal: { type: 'string', arg: 'FILE', help: 'signal MC: ct_cm, lxy_cm, mred_GeV, m_S_GeV, channel, ctau_gen_cm (CSV, JSON, Parquet, ROOT)' },
  data: { type: 'string', arg: 'FILE', help: 'data: mred_GeV, lxy_cm, channel' },
  demo: { type: 'boolean', help: 'generate illustrative signal and background samples instead of --signal/--data' },
  seed: { type: 'string', default: '1', arg: 'S', help: 'seed of the --demo samples' },
  production: { type: 'string', default: 'K+', arg: 'MODE', help: `production mode: ${PRODUCTION_NAMES.map((p) => `${p} (${PRODUCTIONS[p].name})`).join(' or ')}, as in Belle II PRD 108 (2023) L111104` },
  lifetimes: { type: 'string', default: '1e-3:1e3:50', arg: 'LO:HI:N', help: 'c tau grid in cm, log-spaced' },
  channels: { type: 'string', default: CHANNELS.join(','), arg: 'LIST', help: 'decay channels' },
  masses: { type: 'string', arg: 'M1,M2,..', help: 'scalar masses in GeV (default: those of the signal file)' },
  lxy: { type: 'string', default: '0.05:60', arg: 'LO:HI', help: 'transverse displacement window, cm' },
  nsigma: { type: 'string', default: '2', arg: 'K', help: 'mass window half-width in resolutions (--model window)' },
  model: { type: 'string', default: 'window', arg: 'M', help: "'window': count in M_red windows, sideband background; 'fit': binned fit of M_red per (mass, channel) as the paper (engine/llp/fit.ts; the run configs' default)" },
  background: { type: 'string', arg: 'FILE', help: '--model fit: background simulation for the M_red shape: mred_GeV, lxy_cm, channel, optional weight (--demo: generated)' },
  method: { type: 'string', default: 'cls-n', arg: 'M', help: 'limit method: cls-n, bayes or cls-asymptotic (engine/stats/windows.ts LIMIT_METHODS)' },
  cl: { type: 'string', default: '0.95', arg: 'CL', help: 'confidence level' },
  nbb: { type: 'string', default: '198e6', arg: 'N', help: 'number of B Bbar pairs (198e6: the 189 fb^-1 of Belle II PRD 108 (2023) L111104)' },
  'ctau-gen': { type: 'string', arg: 'CM', help: "c tau the signal was generated with (default: the file's ctau_gen_cm; --demo: a log-spaced mixture spanning --lifetimes)" },
  'per-cell': { type: 'string', default: '2000', arg: 'N', help: '--demo: signal events per (mass, channel)' },
  out: { type: 'string', arg: 'FILE', help: 'results JSON' },
  plot: { type: 'string', arg: 'FILE', help: 'SVG plot of the limits against c tau' },
  shard: { type: 'string', arg: 'i/n', help: 'compute mass range i of n (0-based); merge with `darkscan merge`' },
  ...COLUMNS_FLAG,
  ...FORCE_FLAG,
  ...BACKEND_FLAGS,
} as const;

export const llp: Command = {
  summary: 'LLP B+ -> K+ S / B0 -> K*0 S lifetime sweep: efficiency per (mass, channel, c tau), limits per channel and combined',
  usage: 'llp (--signal FILE --data FILE [--columns NAME=COLUMN,...] | --demo [--seed S]) [--model window|fit [--background FILE]] [--production K+|K*0] [--lifetimes 1e-3:1e3:50] [--channels ee,mumu,pipi,KK] [--masses m1,m2,..] [--lxy 0.05:60] [--nsigma 2] [--method cls-n|bayes|cls-asymptotic] [--cl 0.95] [--nbb 198e6] [--ctau-gen CM] [--out FILE.json] [--plot FILE.svg] [--shard i/n]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const channels = parseChannels(values.channels!);
    const production = parseProduction(values.production!);
    const ctaus = parseLogGrid(values.lifetimes!, '--lifetimes');
    const lxyWindow = range2(values.lxy!, '--lxy');
    // Defaults as in Belle II PRD 108 (2023) L111104: 189 fb^-1 (198 x 10^6 B Bbar pairs), 95% CL.
    const method = parseLimitMethod<LimitMethod>(values.method!, '--method', LIMIT_METHODS);
    const cl = numArg(values.cl!, '--cl', 0.5, 0.9999);
    const nBBbar = numArg(values.nbb!, '--nbb', 1);
    const nSigma = numArg(values.nsigma!, '--nsigma', 0.1, 100);
    let masses = values.masses?.split(',').map((s) => numArg(s, '--masses', 0, 5));
    const seed = intArg(values.seed!, '--seed');
    if (values.model !== 'window' && values.model !== 'fit') throw new Error(`--model: expected window or fit, got '${values.model}'`);
    const model: 'window' | 'fit' = values.model;
    if (values.background && (model !== 'fit' || values.demo)) throw new Error('--background: only with --model fit and --signal / --data (--demo generates its own)');
    if (model === 'fit' && !values.demo && !values.background) throw new Error('--model fit needs --background FILE (the background simulation whose M_red shape the fit uses) or --demo');
    if (values.out) checkOutputPath(values.out, values.force);
    if (values.plot) checkOutputPath(values.plot, values.force, '--plot');
    // --shard i/n: a block of the mass hypotheses (each mass's cells and limits depend only on it).
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (shard && !values.out) throw new Error('llp: --shard needs --out FILE.json (for `darkscan merge`)');
    return withBackend(values, async (backend) => {
      // One run of the pipeline (search.ts runSearch) with the B -> K S definition of the production mode (searches-llp.ts).
      const common = { channels, ctaus, lxyWindow, nSigma, nBBbar, model };
      let settings: LlpBSettings, allMasses: number[], first: number, end: number;
      if (values.demo) {
        if (values.signal || values.data || values.columns) throw new Error('--demo generates its own samples: drop --signal / --data / --columns');
        allMasses = masses ?? [...LLP_DEMO_MASSES];
        [first, end] = shard ? shardRange(allMasses.length, shard) : [0, allMasses.length];
        const perCell = intArg(values['per-cell']!, '--per-cell', 10, 1e6);
        settings = { ...common, masses: allMasses, range: [first, end], demo: { perCell, ctauGenCm: values['ctau-gen'] ? numArg(values['ctau-gen'], '--ctau-gen', 1e-6) : undefined } };
      } else {
        if (!values.signal || !values.data) throw new Error('--signal FILE and --data FILE are required (or --demo)');
        const signal = await loadSignal(values.signal, values['ctau-gen'] ? numArg(values['ctau-gen'], '--ctau-gen', 1e-6) : undefined, columnMapArg(values.columns));
        const data = await loadData(values.data, columnMapArg(values.columns));
        allMasses = (masses ?? [...new Set(signal.mS)].sort((a, b) => a - b)).map((m) => Math.fround(m));
        [first, end] = shard ? shardRange(allMasses.length, shard) : [0, allMasses.length];
        const meta = { signal: values.signal, signal_sha256: await fileDigest(values.signal), data: values.data, data_sha256: await fileDigest(values.data) };
        const background = values.background ? await loadData(values.background, columnMapArg(values.columns)) : undefined;
        if (values.background) Object.assign(meta, { background: values.background, background_sha256: await fileDigest(values.background) });
        settings = { ...common, masses: allMasses, range: [first, end], files: { signal, data, background, meta } };
      }
      const json = await runSearch(backend, LLP_B_SEARCHES[production], { seed, cl, method, settings, progress: ctx?.progress, signal: ctx?.signal });
      masses = allMasses.slice(first, end);
      const L = ctaus.length;
      const combinedAt = (im: number, j: number) => (json.cells as { combined_limit: (number | null)[] }[])[im].combined_limit[j] ?? Infinity;
      if (shard) json.shard = { index: shard.index, count: shard.count, total: allMasses.length, first, end, key: 'cells', per_shard: ['backend', 'sweep_ms', 'timing_s', 'limit_method_counts', ...(model === 'fit' ? ['fit'] : [])] };
      const text = JSON.stringify(json, null, 1);
      if (values.out) writeAtomic(values.out, text);
      if (values.plot) {
        writeAtomic(values.plot, limitVsMassSvg({
          masses, ctaus, value: combinedAt,
          title: `${PRODUCTIONS[production].name}, S -> ${channels.join(', ')}: ${(cl * 100).toFixed(0)}% CL upper limit (${method}, channels combined)`,
          yLabel: limitLabel(production), note: values.demo ? 'demo: generated signal, illustrative background' : undefined,
        }));
      }
      out(`# llp: ${PRODUCTIONS[production].name}: ${masses.length} masses x ${channels.length} channels x ${ctaus.length} lifetimes on ${backend.name}, sweep ${json.sweep_ms} ms; ${model === 'fit' ? 'binned M_red fit, asymptotic CLs' : method} ${cl} CL${values.demo ? `; demo seed=${seed}` : ''}`);
      out('# m_S[GeV]  best combined limit  at c tau [cm]');
      for (const [im, m] of masses.entries()) {
        let best = Infinity, at = 0;
        for (let j = 0; j < L; j++) if (combinedAt(im, j) < best) { best = combinedAt(im, j); at = ctaus[j]; }
        out(`${m.toFixed(4)}  ${best.toExponential(3)}  ${at.toPrecision(3)}`);
      }
      if (values.out) out(`# wrote ${values.out}`);
      if (values.plot) out(`# wrote ${values.plot}`);
      return 0;
    });
  },
};
