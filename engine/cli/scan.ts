// `darkscan scan`: observed counts, background b +- sigma_b, signal sums, local p and Z per window.
import { parseArgs } from 'node:util';
import { readText } from '../io/text.js';
import { DARKSCAN_VERSION, fileDigest, textDigest } from '../provenance.js';
import { readCsvBytes } from '../io/csv.js';
import { B_FLOOR_RULE, flooredBackground } from '../stats/pvalue.js';
import { COORD_MAX } from '../../kernels/window_count/layout.js';
import { checkOutputPath, FORCE_FLAG, writeAtomic } from '../output.js';
import { EventValidationError, makeEventTable, parseCsvColumns, parseJsonColumns, type TableResult } from '../events.js';
import { csvFileChunks } from '../stream.js';
import { parseShard, shardRange } from '../shard.js';
import { dimuonVariables } from '../kinematics.js';
import { gridFromJson, gridToJson, NAMED_GRIDS, type WindowGrid } from '../windows.js';
import { scan as runScan, scanRows, scanStreamed, sliceGrid, type ScanResult, type TableSource } from '../scan.js';
import { intArg, numArg, BACKEND_FLAGS, required, withBackend, columnMapArg, COLUMNS_FLAG, type Command, type Context, type Out } from './args.js';
import { missingColumnProblem, withColumnNames } from '../io/columns.js';
import { parseLimitMethod, windowLimits, type WindowLimits } from '../stats/windows.js';
import { scanGlobalSignificance, type GlobalSignificance } from '../stats/lee.js';
import type { EventTable } from '../events.js';
import { checkpoint } from '../cancel.js';

const SIGNED_COLUMNS = new Set(['m_recoil_GeV']);
const MUON_COLUMNS = ['mu1_px_GeV', 'mu1_py_GeV', 'mu1_pz_GeV', 'mu2_px_GeV', 'mu2_py_GeV', 'mu2_pz_GeV'];

export async function loadGrid(spec: string): Promise<WindowGrid> {
  const named = NAMED_GRIDS[spec];
  if (named) return named();
  if (!spec.toLowerCase().endsWith('.json')) throw new Error(`--grid: expected ${Object.keys(NAMED_GRIDS).join(', ')} or a FILE.json, got '${spec}'`);
  return gridFromJson(await readText(spec, 'a JSON grid'), spec);
}

type Loaded = TableResult & { derived: string[] };
interface SampleOptions { weighted: boolean; weightColumn?: string; dropInvalid?: boolean; /** --columns: darkscan's name -> the file's column. */ columns?: Record<string, string> }

/**
 * Turns parsed columns into the validated table a scan needs: the grid's columns (derived from
 * lab muon momenta when absent) and the weight column of a weighted sample.
 */
function prepareColumns(cols0: Record<string, ArrayLike<number>>, grid: WindowGrid, path: string, o: SampleOptions, wcIn?: string): Loaded {
  const cols = withColumnNames(path, cols0, o.columns);
  let wc = o.weightColumn ?? wcIn;
  const derived: string[] = [];
  const needs = grid.variables.filter((v) => !(v in cols));
  if (needs.length && needs.every((v) => v === 'm_mumu_GeV' || v === 'm_recoil_GeV') && MUON_COLUMNS.every((c) => c in cols)) {
    const m = makeEventTable(Object.fromEntries(MUON_COLUMNS.map((c) => [c, cols[c]])), { required: MUON_COLUMNS, nonNegative: [], dropInvalid: false, source: path });
    const c = m.table.columns;
    const v = dimuonVariables({ px: c.mu1_px_GeV, py: c.mu1_py_GeV, pz: c.mu1_pz_GeV }, { px: c.mu2_px_GeV, py: c.mu2_py_GeV, pz: c.mu2_pz_GeV });
    for (const k of needs) {
      cols[k] = v[k as 'm_mumu_GeV' | 'm_recoil_GeV'];
      derived.push(k);
    }
  }
  const missing = grid.variables.find((v) => !(v in cols));
  if (missing) throw new EventValidationError(missing, -1, missingColumnProblem(missing, Object.keys(cols0)), path);
  if (o.weighted) wc ??= 'weight' in cols ? 'weight' : undefined;
  const keep: Record<string, ArrayLike<number>> = {};
  for (const c of [...grid.variables, ...(o.weighted && wc ? [wc] : [])]) if (c in cols) keep[c] = cols[c];
  // The recoil mass is signed (-sqrt(-M^2) for a spacelike recoil, as engine/kinematics and
  // `generate` write it); coordinates beyond the kernel's fixed-point range are bad rows.
  const r = makeEventTable(keep, {
    required: grid.variables, nonNegative: grid.variables.filter((v) => !SIGNED_COLUMNS.has(v)), weightColumn: o.weighted ? wc : undefined, dropInvalid: o.dropInvalid, source: path,
    maxAbs: Object.fromEntries(grid.variables.map((v) => [v, COORD_MAX])),
  });
  return { ...r, derived };
}

/**
 * Reads a CSV/JSON sample with the grid's columns. When m_mumu_GeV / m_recoil_GeV are absent but
 * lab muon momenta mu{1,2}_p{x,y,z}_GeV are there, they are computed (engine/kinematics, Belle II beams).
 */
export async function loadSample(path: string, grid: WindowGrid, o: SampleOptions): Promise<Loaded> {
  if (path.toLowerCase().endsWith('.json')) {
    const j = parseJsonColumns(await readText(path, 'a JSON text file'), path);
    return prepareColumns(j.columns, grid, path, o, j.weightColumn);
  }
  if (path.toLowerCase().endsWith('.csv')) return prepareColumns(parseCsvColumns(await readCsvBytes(path), path), grid, path, o);
  throw new Error(`${path}: unknown event file type (expected .csv or .json)`);
}

/** What a streamed sample reports (filled while its last pass is read). */
export interface StreamStats { events: number; dropped: number; droppedByColumn: Record<string, number>; derived: string[]; weightColumn?: string; chunks: number }

/**
 * A CSV sample read in chunks of `chunkEvents` rows (engine/stream.ts): every chunk is validated
 * like the whole file would be (errors name the file's row), so the scan sees the same events.
 */
export function streamSample(path: string, grid: WindowGrid, o: SampleOptions & { chunkEvents: number; signal?: AbortSignal }, stats: StreamStats): TableSource {
  if (!path.toLowerCase().endsWith('.csv')) throw new Error(`${path}: --chunk-events streams CSV files only (read JSON without it)`);
  return async function* () {
    Object.assign(stats, { events: 0, dropped: 0, droppedByColumn: {}, derived: [], chunks: 0, weightColumn: undefined });
    for await (const c of csvFileChunks(path, { chunkRows: o.chunkEvents, signal: o.signal })) {
      let r: Loaded;
      try {
        r = prepareColumns(c.columns, grid, path, o);
      } catch (e) {
        if (e instanceof EventValidationError && e.row >= 0) throw new EventValidationError(e.column, e.row + c.firstRow, e.problem, path);
        throw e;
      }
      stats.events += r.table.length;
      stats.dropped += r.dropped;
      for (const [k, v] of Object.entries(r.droppedByColumn)) stats.droppedByColumn[k] = (stats.droppedByColumn[k] ?? 0) + v;
      stats.derived = r.derived;
      stats.weightColumn = r.table.weightColumn;
      stats.chunks++;
      yield r.table;
    }
  };
}

const P_METHOD =
  'p = P(N >= n | b) (Poisson) for sigma_b = 0, else Z_Bi (Cousins, Linnemann, Tucker, NIM A 595 (2008) 480) with tau = b/sigma_b^2, n_off = (b/sigma_b)^2; ' +
  'Z = Phi^-1(1 - p), 0 for p >= 0.5; b = sum of background weights, sigma_b = sqrt(sum w^2 + (rel_syst b)^2)';

const OPTIONS = {
  data: { type: 'string', arg: 'FILE', help: 'observed events, CSV or JSON (m_mumu_GeV, m_recoil_GeV, or muon momenta they are computed from)' },
  grid: { type: 'string', arg: 'G', help: 'dark-higgsstrahlung, mumu-1d, recoil-1d, egamma-1d or a grid FILE.json' },
  background: { type: 'string', arg: 'FILE', help: 'background MC, weighted to the data luminosity: b +- sigma_b per window' },
  signal: { type: 'string', arg: 'FILE', help: 'signal MC: weight sums per window' },
  out: { type: 'string', arg: 'FILE', help: 'results JSON' },
  'weight-column': { type: 'string', arg: 'NAME', help: "weight column of --background/--signal (default: 'weight' when present)" },
  'bkg-rel-syst': { type: 'string', arg: 'X', help: 'relative background systematic added in quadrature (default: 0)' },
  'drop-invalid': { type: 'boolean', help: 'drop rows with invalid values (counted in the output) instead of failing' },
  'save-grid': { type: 'string', arg: 'FILE', help: 'also write the grid as JSON' },
  shard: { type: 'string', arg: 'i/n', help: 'compute window range i of n (0-based); merge with `darkscan merge`' },
  'chunk-events': { type: 'string', arg: 'N', help: 'stream CSV inputs in chunks of N events (bounded memory, same numbers)' },
  limits: { type: 'boolean', help: 'upper limits in every window' },
  method: { type: 'string', arg: 'M', help: '--limits method: cls, cls-asymptotic, bayes, fc or cls-n (default: cls-asymptotic)' },
  cl: { type: 'string', arg: 'CL', help: '--limits confidence level (default: 0.9)' },
  toys: { type: 'string', arg: 'K', help: '--limits --method cls: toys per window (default: 10000)' },
  global: { type: 'boolean', help: 'global significance from background-only pseudo-experiments' },
  'pseudo-experiments': { type: 'string', arg: 'N', help: '--global: pseudo-experiments (default: 1000)' },
  seed: { type: 'string', arg: 'S', help: 'seed of toys and pseudo-experiments (required with them)' },
  ...COLUMNS_FLAG,
  ...FORCE_FLAG,
  ...BACKEND_FLAGS,
} as const;

export const scan: Command = {
  summary: 'scan mass windows: n, b +- sigma_b, signal sums, local p-value and Z per window',
  usage:
    'scan --data FILE --grid dark-higgsstrahlung|mumu-1d|recoil-1d|egamma-1d|FILE.json [--background FILE] [--signal FILE] ' +
    '[--columns NAME=COLUMN,...] [--weight-column NAME] [--bkg-rel-syst X] [--drop-invalid] [--save-grid FILE.json] [--shard i/n] [--chunk-events N] ' +
    '[--limits [--method cls|cls-asymptotic|bayes|fc|cls-n] [--cl 0.9] [--toys K]] [--global [--pseudo-experiments N]] [--seed S] --out FILE.json',
  options: OPTIONS,
  async run(args, out, ctx) {
    const plan = await validateScan(parseArgs({ args, options: OPTIONS }).values);
    if (plan.values['save-grid']) writeAtomic(plan.values['save-grid'], gridToJson(plan.fullGrid));
    const run = await runScanPlan(plan, ctx);
    await writeScan(plan, run, out, ctx?.signal);
    return 0;
  },
};

// The command in four steps: parse (parseArgs above), validate (every flag and the outputs, inputs
// digested, before any work), run (the scan, limits and look-elsewhere on the backend), write.
type ScanFlags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** validate: flags checked, grid loaded and sharded, outputs writable, inputs digested. */
export async function validateScan(values: ScanFlags) {
  const dataPath = required(values.data, '--data');
  const outPath = required(values.out, '--out');
  const gridSpec = required(values.grid, '--grid');
  const fullGrid = await loadGrid(gridSpec);
  const rel = values['bkg-rel-syst'] === undefined ? 0 : numArg(values['bkg-rel-syst'], '--bkg-rel-syst', 0, 100);
  const dropInvalid = values['drop-invalid'] ?? false;
  const wcol = values['weight-column'];
  const columns = columnMapArg(values.columns);
  // --shard i/n: windows [first, end) of the grid; every window's numbers depend only on the events and that window.
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const total = fullGrid.cx.length;
  const [first, end] = shard ? shardRange(total, shard) : [0, total];
  const grid = shard ? sliceGrid(fullGrid, first, end) : fullGrid;
  const chunkEvents = values['chunk-events'] === undefined ? undefined : intArg(values['chunk-events'], '--chunk-events', 1, 1 << 26);
  // --limits / --global (issue: limits for every window of a scan; look-elsewhere by pseudo-experiments).
  // Options of --limits / --global are refused without them (never silently ignored).
  for (const [flag, needs] of [['method', 'limits'], ['cl', 'limits'], ['toys', 'limits'], ['pseudo-experiments', 'global']] as const) {
    if (values[flag] !== undefined && !values[needs]) throw new Error(`--${flag} applies only with --${needs}`);
  }
  if (values.seed !== undefined && !values.limits && !values.global) throw new Error('--seed applies only with --limits --method cls or --global');
  const method = parseLimitMethod(values.method ?? 'cls-asymptotic');
  const cl = numArg(values.cl ?? '0.9', '--cl', 0.5, 0.9999);
  const needsSeed = (values.limits && method === 'cls') || values.global;
  const seed = values.seed === undefined ? undefined : intArg(values.seed, '--seed');
  if (needsSeed && seed === undefined) throw new Error(`--seed is required with ${values.global ? '--global' : '--method cls'} (toys and pseudo-experiments are reproducible only from a seed)`);
  const toys = values.toys === undefined ? (method === 'cls' ? 10_000 : undefined) : intArg(values.toys, '--toys', 1, 1e8);
  const nPE = intArg(values['pseudo-experiments'] ?? '1000', '--pseudo-experiments', 1, 1e7);
  if ((values.limits || values.global) && !values.background) throw new Error('--limits and --global need --background (b and sigma_b per window)');
  if (shard && values.global) throw new Error('--global needs every window: run it unsharded (the look-elsewhere maximum is over the whole grid)');
  if (shard && values.limits && method === 'cls') throw new Error('--limits --method cls with --shard: toys are keyed by the position of a window in the batch; use an asymptotic or exact method, or run unsharded');
  if (values.global && chunkEvents !== undefined) throw new Error('--global rescans the background sample per pseudo-experiment: not available with --chunk-events');
  // Before the work: the outputs can be written (and replace nothing without --force), and the
  // content digest of every input (a missing file is reported now, not after the scan).
  checkOutputPath(outPath, values.force);
  if (values['save-grid']) checkOutputPath(values['save-grid'], values.force, '--save-grid');
  const inputPaths = [dataPath, values.background, values.signal].filter((p): p is string => p !== undefined);
  const digests = new Map(await Promise.all(inputPaths.map(async (p) => [p, await fileDigest(p)] as const)));
  const gridDigest = gridSpec in NAMED_GRIDS ? textDigest(gridToJson(fullGrid)) : await fileDigest(gridSpec);
  return { values, dataPath, outPath, gridSpec, fullGrid, rel, dropInvalid, wcol, columns, shard, total, first, end, grid, chunkEvents, method, cl, seed, toys, nPE, digests, gridDigest };
}
type ScanPlan = Awaited<ReturnType<typeof validateScan>>;
type Info = { events: number; dropped: number; droppedByColumn: Record<string, number>; weightColumn?: string; derived: string[]; chunks?: number };

/** run: the scan of every sample (whole or streamed), then --limits and --global, on one backend. */
async function runScanPlan(plan: ScanPlan, ctx: Context | undefined) {
  const { values, dataPath, grid, rel, dropInvalid, wcol, columns, chunkEvents, method, cl, seed, toys, nPE } = plan;
  const signal = ctx?.signal;
  return withBackend(values, async (backend) => {
    let limits: WindowLimits | undefined;
    let global: GlobalSignificance | undefined;
    let bgTable: EventTable | undefined;
    let infos: { data: Info; background?: Info; signal?: Info };
    let r: ScanResult;
    const t0 = performance.now();
    if (chunkEvents !== undefined) {
      const mk = (path: string | undefined, weighted: boolean) => {
        if (!path) return undefined;
        const stats = {} as Info & { chunks: number };
        return { stats, src: streamSample(path, grid, { weighted, weightColumn: wcol, dropInvalid, columns, chunkEvents, signal }, stats as never) as TableSource };
      };
      const d = mk(dataPath, false)!, bg = mk(values.background, true), sg = mk(values.signal, true);
      r = await scanStreamed(backend, grid, d.src, {
        background: bg?.src, signal: sg?.src, relBackgroundSyst: rel, abort: signal,
        onChunk: (name, c, e) => ctx?.progress?.(`scan: ${name} chunk ${c} (${e} events)`),
      });
      infos = { data: d.stats, background: bg?.stats, signal: sg?.stats };
    } else {
      const data = await loadSample(dataPath, grid, { weighted: false, dropInvalid, columns });
      const bg = values.background ? await loadSample(values.background, grid, { weighted: true, weightColumn: wcol, dropInvalid, columns }) : undefined;
      const sig = values.signal ? await loadSample(values.signal, grid, { weighted: true, weightColumn: wcol, dropInvalid, columns }) : undefined;
      const info = (s: Loaded): Info => ({ events: s.table.length, dropped: s.dropped, droppedByColumn: { ...s.droppedByColumn }, weightColumn: s.table.weightColumn, derived: s.derived });
      r = await runScan(backend, grid, data.table, { background: bg?.table, signal: sig?.table, relBackgroundSyst: rel, abort: signal });
      bgTable = bg?.table;
      infos = { data: info(data), background: bg && info(bg), signal: sig && info(sig) };
    }
    if (values.limits) {
      ctx?.progress?.(`scan: ${method} limits for ${grid.cx.length} windows`);
      limits = await windowLimits({ n: r.data.n, b: r.b!.map(flooredBackground), sigmaB: r.sigmaB! }, method, cl, { backend, toys, seed, signal });
    }
    if (values.global) {
      ctx?.progress?.(`scan: look-elsewhere, ${nPE} pseudo-experiments`);
      global = await scanGlobalSignificance(backend, grid, r.data.n, r.b!, r.sigmaB!, bgTable!, { pseudoExperiments: nPE, seed: seed!, signal });
    }
    const seconds = (performance.now() - t0) / 1000;
    await checkpoint(signal); // a Ctrl-C during the (synchronous) last step is seen here, before any output
    // After the run: a WebGPU backend that lost its device reports the failover, and which backend computed how many items.
    const items = backend.itemsByBackend?.();
    const backendDetails = { ...backend.info().details, ...(items ? { items_by_backend: items } : {}) };
    return { r, infos, limits, global, seconds, backendName: backend.name, backendDetails };
  });
}
type ScanRun = Awaited<ReturnType<typeof runScanPlan>>;

/** write: the output document (atomically, after a last cancellation check) and the summary lines. */
async function writeScan(plan: ScanPlan, run: ScanRun, out: Out, signal: AbortSignal | undefined): Promise<void> {
  const { values, dataPath, outPath, fullGrid, rel, columns, shard, total, first, end, grid, chunkEvents, method, digests, gridDigest } = plan;
  const { r, infos, limits, global, seconds, backendName, backendDetails } = run;
  const sample = (path: string, s: Info, w?: { weightExp: number }) => ({
    file: path, sha256: digests.get(path), events: s.events, dropped_invalid: s.dropped, dropped_by_column: s.droppedByColumn,
    weight_column: s.weightColumn ?? null, derived_columns: s.derived, ...(columns ? { column_map: columns } : {}),
    ...(w && s.weightColumn ? { weight_quantum: `2^-${w.weightExp}` } : {}),
  });
  const doc = {
    kind: 'scan',
    schema: 'darkscan-scan/1',
    darkscan_version: DARKSCAN_VERSION,
    units: 'GeV (masses, energies, centres, semi-axes); n, b, sigma_b in events',
    backend: backendName,
    backend_details: backendDetails,
    kernel: 'window_count',
    membership: 'f32: ((x-cx)^2 / ax^2 + (y-cy)^2 / ay^2) <= 1 on coordinates rounded to a multiple of 2^-24 GeV, then to f32, identical on every backend',
    grid: { name: fullGrid.name, shape: fullGrid.shape, variables: fullGrid.variables, windows: total, params: fullGrid.params, sha256: gridDigest },
    cells: r.data.cells,
    ...(chunkEvents !== undefined ? { streaming: { chunk_events: chunkEvents, note: 'samples read in chunks; integer sums are exact, so the numbers equal the whole-file scan; cells are those of the first chunk' } } : {}),
    inputs: {
      data: sample(dataPath, infos.data),
      background: infos.background ? sample(values.background!, infos.background, r.background) : null,
      signal: infos.signal ? sample(values.signal!, infos.signal, r.signal) : null,
    },
    background_rel_syst: rel,
    p_value_method: r.b ? P_METHOD : 'no --background: b, sigma_b, p and Z not computed',
    ...(r.b ? { b_floor: B_FLOOR_RULE } : {}),
    scan_seconds: seconds,
    ...(shard ? { shard: { index: shard.index, count: shard.count, total, first, end, key: 'windows', per_shard: ['backend', 'backend_details', 'scan_seconds'] } } : {}),
    ...(limits ? { limits: { method: limits.method, cl: limits.cl, toys: limits.toys, seed: limits.seed, on: 'signal events in the window', ...(limits.computed ? { computed: limits.computed } : {}) } } : {}),
    ...(global ? { global: { ...global, method: 'background-only pseudo-experiments from the --background sample, every window rescanned' } } : {}),
    windows: scanRows(r, first).map((row, i) => (limits ? {
      ...row,
      upper_limit_events: limits.upper[i],
      ...(limits.used ? { limit_method: limits.used[i] } : {}),
      ...(limits.lower ? { lower_limit_events: limits.lower[i] } : {}),
      expected_upper_limit_events: limits.expected.map((e) => e[i]),
      ...(limits.failed[i] ? { limit_error: limits.failed[i] } : {}),
    } : row)),
  };
  await checkpoint(signal);
  writeAtomic(outPath, JSON.stringify(doc));
  const nFailed = limits ? limits.failed.filter((f) => f).length : 0;
  if (nFailed) out(`scan: ${nFailed} windows without a ${method} limit (null, reason in limit_error), e.g. ${limits!.failed.find((f) => f)}`);
  let best = -1;
  if (r.z) for (let i = 0; i < r.z.length; i++) if (best < 0 || r.p![i] < r.p![best]) best = i;
  const shardNote = shard ? ` (shard ${shard.index}/${shard.count}: windows [${first}, ${end}) of ${total})` : '';
  out(`scan: ${grid.cx.length} windows (${grid.name})${shardNote}, ${infos.data.events} data events${infos.background ? `, ${infos.background.events} background` : ''}${infos.signal ? `, ${infos.signal.events} signal` : ''} on ${backendName} in ${seconds.toFixed(3)} s -> ${outPath}`);
  for (const [name, s] of [['data', infos.data], ['background', infos.background], ['signal', infos.signal]] as const) {
    if (s && s.dropped) out(`scan: ${name}: dropped ${s.dropped} invalid rows (${JSON.stringify(s.droppedByColumn)})`);
  }
  if (best >= 0) {
    const row = doc.windows[best];
    out(`scan: smallest local p = ${r.p![best].toExponential(3)} (Z = ${r.z![best].toFixed(2)}) in window ${first + best}: ${JSON.stringify(row)}`);
  }
}
