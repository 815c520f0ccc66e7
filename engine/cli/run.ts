import { parseArgs } from 'node:util';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { checkOutputDir, FORCE_FLAG, writeAtomic } from '../output.js';
import type { FitModels } from '../analyses/fit.js';
import { SEARCHES } from '../analyses/searches.js';
import { ioError } from '../io/text.js';
import { DARKSCAN_VERSION, fileDigest, textDigest } from '../provenance.js';
import { loadConfig, outputDir, runConfig } from '../analyses/run.js';
import { writeReport } from '../analyses/report.js';
import { configAnalysis, idmRun, LLP_TYPE_ANALYSES, parseIdmConfig } from '../analyses/idm.js';
import { LLP_B_ANALYSES, llpBRun, parseLlpBConfig, type LlpBConfig } from '../analyses/llp-b.js';
import { llpLimitHow } from '../analyses/render.js';
import { runSearch, type CellSearchDefinition, type CellSearchOptions } from '../analyses/search.js';
import { ANALYSES, ConfigError, type AnalysisConfig } from '../config.js';
import { BACKEND_FLAGS, required, withBackend, type Command } from './args.js';

const OPTIONS = {
  config: { type: 'string', arg: 'FILE', help: 'the analysis config, JSON (see engine/analyses/configs/)' },
  out: { type: 'string', arg: 'DIR', help: "output folder (default: the config's output.dir, relative to the config file; else <analysis>-out in the current folder)" },
  quick: { type: 'boolean', help: 'small samples whatever the config sets' },
  json: { type: 'boolean', help: 'print the summary as JSON' },
  'export-pyhf': { type: 'string', arg: 'DIR', help: 'fit-model searches: write the fitted models as pyhf JSON, DIR/bkgonly.json and DIR/patchset.json (one patch per mass hypothesis)' },
  'output-outside-config': { type: 'boolean', help: "allow the config's output.dir to point outside the config's folder" },
  ...FORCE_FLAG,
  ...BACKEND_FLAGS,
} as const;

/** --export-pyhf: DIR/bkgonly.json and DIR/patchset.json (with version, seed and the config's digest); the paths written. */
function writePyhf(dir: string, m: FitModels, seed: number, configText: string): string[] {
  mkdirSync(dir, { recursive: true });
  const ps = { ...m.patchset, metadata: { ...m.patchset.metadata, darkscan_version: DARKSCAN_VERSION, seed, config_sha256: textDigest(configText) } };
  return ([['bkgonly.json', m.workspace], ['patchset.json', ps]] as const).map(([f, v]) => (writeAtomic(join(dir, f), `${JSON.stringify(v)}\n`), join(dir, f)));
}

export const run: Command = {
  summary: 'run an analysis from a JSON config (dark-higgsstrahlung, zprime-invisible, zprime-mumu, invisible-dark-photon, alp-gammagamma, b-k(0s|star0|starplus)-alp-gammagamma, b-kplus-llp, b-kstar0-llp, idm-darkhiggs): results.json, HEPData, SVG',
  usage: 'run --config FILE [--out DIR] [--quick] [--json] [--export-pyhf DIR] [--backend auto|webgpu|wasm|cpu]   (--quick: small samples whatever the config sets)',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const path = resolve(required(values.config, '--config', 'a JSON analysis config; see engine/analyses/configs/'));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`--config: cannot read ${path}: ${ioError(path, e).message.replace(`${path}: `, '')}`);
    }
    // The cell-model searches (B -> K S, iDM: engine/analyses/llp-b.ts, idm.ts) have their own config schemas; the one pipeline runs them.
    const name = configAnalysis(text);
    const llpType = (LLP_TYPE_ANALYSES as readonly string[]).includes(name ?? '');
    if (name !== null && !llpType && !(ANALYSES as readonly string[]).includes(name)) {
      throw new ConfigError(path, [`config.analysis: expected one of ${[...ANALYSES, ...LLP_TYPE_ANALYSES].join(', ')}, got ${JSON.stringify(name)}`]);
    }
    const llpB = (LLP_B_ANALYSES as readonly string[]).includes(name ?? '');
    const parseLlp = (): { backend?: string; output?: { dir?: string } } => (llpB ? parseLlpBConfig(text, path) : parseIdmConfig(text, path));
    const cfg = llpType ? (parseLlp() as unknown as AnalysisConfig) : loadConfig(text, path);
    // Where the results go, checked before the work: a config may not send them outside its own
    // folder unless asked, nor replace existing results without --force.
    const dir = outputDir(cfg, path, values.out);
    if (values.out === undefined && cfg.output?.dir !== undefined) {
      const rel = relative(dirname(path), dir);
      if ((rel.startsWith('..') || isAbsolute(rel)) && !values['output-outside-config']) {
        throw new Error(`${path}: config.output.dir '${cfg.output.dir}' is outside the config's folder (${dir}); pass --output-outside-config to allow it, or --out DIR`);
      }
    }
    checkOutputDir(dir, 'results.json', values.force, values.out !== undefined ? '--out' : 'config.output.dir');
    const pyhfDir = values['export-pyhf'] === undefined ? undefined : resolve(values['export-pyhf']);
    if (pyhfDir !== undefined) {
      const llpFit = llpB && (cfg as unknown as LlpBConfig).model !== 'window';
      if (llpType ? !llpFit : SEARCHES[cfg.analysis as keyof typeof SEARCHES]?.model !== 'fit') {
        const fits = [...Object.values(SEARCHES).filter((d) => d.model === 'fit').map((d) => d.name), ...LLP_B_ANALYSES];
        throw new Error(`--export-pyhf: ${cfg.analysis} counts events in windows (no fit model to export); fit-model searches: ${fits.join(', ')}`);
      }
      for (const f of ['bkgonly.json', 'patchset.json']) checkOutputDir(pyhfDir, f, values.force, '--export-pyhf');
    }
    let fitModels: FitModels | undefined;
    if (llpType) {
      return withBackend({ backend: values.backend ?? (cfg.backend === 'auto' ? undefined : cfg.backend), workers: values.workers }, async (backend) => {
        // The cell-model searches (searches-llp.ts) through the one pipeline, the report by render.ts.
        const quick = values.quick ? true : undefined;
        const { def, options } = (llpB ? llpBRun(cfg as unknown as LlpBConfig, quick) : idmRun(parseIdmConfig(text, path), { quick })) as { def: CellSearchDefinition; options: CellSearchOptions<unknown> };
        const r = await runSearch(backend, def, { ...options, progress: ctx.progress, signal: ctx.signal, onFitModels: (m: FitModels) => (fitModels = m) });
        Object.assign(r, { config: { file: path, sha256: textDigest(text) } });
        const files = writeReport(r, dir);
        if (pyhfDir !== undefined && fitModels) files.push(...writePyhf(pyhfDir, fitModels, r.seed as number, text));
        if (llpB) {
          const cells = r.cells as { m_S_GeV: number; combined_limit: (number | null)[] }[];
          if (values.json) out(JSON.stringify({ analysis: r.analysis, out: dir, files, timing_s: r.timing_s, seed: r.seed }));
          else {
            out(`darkscan run: ${r.analysis} (${r.production_mode}), N_BB = ${r.n_BBbar}, seed ${r.seed}, backend ${backend.name}; ${Math.round((r.cl as number) * 100)}% CL (${llpLimitHow(r)}); time ${(r.timing_s as { total: number }).total.toFixed(1)} s (sweep ${r.sweep_ms} ms)`);
            for (const c of cells) out(`  m_S = ${c.m_S_GeV.toFixed(3)} GeV: best combined limit ${Math.min(...c.combined_limit.map((x) => x ?? Infinity)).toExponential(3)}`);
            out(`  files in ${dir}:`);
            for (const f of files) out(`    ${relative(dir, f)}`);
          }
          return 0;
        }
        const timing = r.timing_s as Record<string, number>;
        if (values.json) out(JSON.stringify({ analysis: r.analysis, out: dir, files, timing_s: timing, seed: r.seed }));
        else {
          out(`darkscan run: ${r.analysis}, ${r.lumi_fb} fb^-1, seed ${r.seed}, backend ${backend.name}; ${Math.round((r.cl as number) * 100)}% CL (${r.method}); time ${timing.total.toFixed(1)} s (sweep ${timing.sweep} s)`);
          for (const s of r.parameter_sets as { label: string; points: { m_h_GeV: number; excluded_sin_theta?: number[] | null }[] }[]) {
            const ex = s.points.filter((p) => p.excluded_sin_theta);
            out(`  ${s.label}: ${ex.length} of ${s.points.length} m_h' points with an excluded sin(theta) range${ex.length ? `, e.g. m_h' = ${ex[0].m_h_GeV.toFixed(3)} GeV: ${ex[0].excluded_sin_theta!.join(' - ')}` : ''}`);
          }
          out(`  files in ${dir}:`);
          for (const f of files) out(`    ${relative(dir, f)}`);
        }
        return 0;
      });
    }
    const inputDigests: Record<string, string> = {};
    const inputs = [['config.inputs.data', cfg.inputs?.data] as const, ...(cfg.inputs?.backgrounds ?? []).map((b, i) => [`config.inputs.backgrounds[${i}]`, b] as const)];
    for (const [where, inp] of inputs) {
      if (!inp) continue;
      try {
        inputDigests[inp.path] = await fileDigest(isAbsolute(inp.path) ? inp.path : resolve(dirname(path), inp.path));
      } catch (e) {
        throw new Error(`${path}: ${where}.path: ${(e as Error).message}`); // the file's own error names it
      }
    }
    return withBackend({ backend: values.backend ?? (cfg.backend === 'auto' ? undefined : cfg.backend), workers: values.workers }, async (backend) => {
      const r = await runConfig(backend, cfg, { baseDir: dirname(path), quick: values.quick ? true : undefined, progress: ctx.progress, signal: ctx.signal, onFitModels: (m) => (fitModels = m) });
      const provenance = { darkscan_version: DARKSCAN_VERSION, config: { file: path, sha256: textDigest(text) }, input_digests: inputDigests };
      const files = writeReport({ ...r, ...provenance } as typeof r, dir);
      if (pyhfDir !== undefined && fitModels) files.push(...writePyhf(pyhfDir, fitModels, r.seed, text));
      if (values.json) {
        out(JSON.stringify({ analysis: r.analysis, out: dir, files, global: r.global, timing_s: r.timing_s, seed: r.seed }));
        return 0;
      }
      const g = r.global as Record<string, number | null>;
      out(`darkscan run: ${r.analysis}, ${r.lumi_fb} fb^-1, seed ${r.seed}, backend ${r.backend.name}`);
      out(`  ${r.windows.length} windows; ${g.fit_max_z_local !== undefined ? 'counting windows: ' : ''}largest local Z = ${Number(g.max_z_local).toFixed(2)}; global p = ${g.p_global === null ? 'n/a' : g.p_global.toPrecision(3)} from ${g.pseudo_experiments} pseudo-experiments`);
      if (g.fit_max_z_local !== undefined) out(`  fits: largest local Z = ${Number(g.fit_max_z_local).toFixed(2)} at ${Number(g.fit_mass_GeV).toFixed(4)} GeV; global p = ${g.fit_p_global === null || g.fit_p_global === undefined ? 'n/a' : `${g.fit_p_global.toPrecision(3)} +- ${Number(g.fit_p_global_error).toPrecision(2)}`} from ${g.fit_pseudo_experiments} refitted pseudo-experiments`);
      out(`  ${Math.round(r.cl * 100)}% CL limits (${r.method}); time ${r.timing_s.total.toFixed(1)} s`);
      out(`  files in ${dir}:`);
      for (const f of files) out(`    ${relative(dir, f)}`);
      return 0;
    });
  },
};
