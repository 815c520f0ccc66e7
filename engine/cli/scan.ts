// `darkscan scan`: observed counts, background b +- sigma_b, signal sums, local p and Z per window.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { writeAtomic } from '../output.js';
import { selectBackend } from '../../host/index.js';
import { makeEventTable, parseCsvColumns, parseJsonColumns, type TableResult } from '../events.js';
import { dimuonVariables } from '../kinematics.js';
import { gridFromJson, gridToJson, NAMED_GRIDS, type WindowGrid } from '../windows.js';
import { scan as runScan, scanRows } from '../scan.js';
import { numArg, BACKEND_FLAGS, backendOptions, required, type Command } from './args.js';

const MUON_COLUMNS = ['mu1_px_GeV', 'mu1_py_GeV', 'mu1_pz_GeV', 'mu2_px_GeV', 'mu2_py_GeV', 'mu2_pz_GeV'];

export async function loadGrid(spec: string): Promise<WindowGrid> {
  const named = NAMED_GRIDS[spec];
  if (named) return named();
  if (!spec.toLowerCase().endsWith('.json')) throw new Error(`--grid: expected ${Object.keys(NAMED_GRIDS).join(', ')} or a FILE.json, got '${spec}'`);
  return gridFromJson(await readFile(spec, 'utf8'), spec);
}

/**
 * Reads a CSV/JSON sample with the grid's columns. When m_mumu_GeV / m_recoil_GeV are absent but
 * lab muon momenta mu{1,2}_p{x,y,z}_GeV are there, they are computed (engine/kinematics, Belle II beams).
 */
export async function loadSample(path: string, grid: WindowGrid, o: { weighted: boolean; weightColumn?: string; dropInvalid?: boolean }): Promise<TableResult & { derived: string[] }> {
  const text = await readFile(path, 'utf8');
  let cols: Record<string, ArrayLike<number>>;
  let wc = o.weightColumn;
  if (path.toLowerCase().endsWith('.json')) {
    const j = parseJsonColumns(text, path);
    cols = j.columns;
    wc ??= j.weightColumn;
  } else if (path.toLowerCase().endsWith('.csv')) {
    cols = parseCsvColumns(text, path);
  } else {
    throw new Error(`${path}: unknown event file type (expected .csv or .json)`);
  }
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
  if (o.weighted) wc ??= 'weight' in cols ? 'weight' : undefined;
  const keep: Record<string, ArrayLike<number>> = {};
  for (const c of [...grid.variables, ...(o.weighted && wc ? [wc] : [])]) if (c in cols) keep[c] = cols[c];
  const r = makeEventTable(keep, {
    required: grid.variables, nonNegative: grid.variables, weightColumn: o.weighted ? wc : undefined, dropInvalid: o.dropInvalid, source: path,
  });
  return { ...r, derived };
}

const P_METHOD =
  'p = P(N >= n | b) (Poisson) for sigma_b = 0, else Z_Bi (Cousins, Linnemann, Tucker, NIM A 595 (2008) 480) with tau = b/sigma_b^2, n_off = (b/sigma_b)^2; ' +
  'Z = Phi^-1(1 - p), 0 for p >= 0.5; b = sum of background weights, sigma_b = sqrt(sum w^2 + (rel_syst b)^2)';

export const scan: Command = {
  summary: 'scan mass windows: n, b +- sigma_b, signal sums, local p-value and Z per window',
  usage:
    'scan --data FILE --grid dark-higgsstrahlung|mumu-1d|recoil-1d|egamma-1d|FILE.json [--background FILE] [--signal FILE] ' +
    '[--weight-column NAME] [--bkg-rel-syst X] [--drop-invalid] [--save-grid FILE.json] --out FILE.json',
  async run(args, out, ctx) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: 'string' }, grid: { type: 'string' }, background: { type: 'string' }, signal: { type: 'string' },
        out: { type: 'string' }, 'weight-column': { type: 'string' }, 'bkg-rel-syst': { type: 'string' },
        'drop-invalid': { type: 'boolean' }, 'save-grid': { type: 'string' }, ...BACKEND_FLAGS,
      },
    });
    const dataPath = required(values.data, '--data');
    const outPath = required(values.out, '--out');
    const grid = await loadGrid(required(values.grid, '--grid'));
    const rel = values['bkg-rel-syst'] === undefined ? 0 : numArg(values['bkg-rel-syst'], '--bkg-rel-syst', 0, 100);
    const dropInvalid = values['drop-invalid'] ?? false;
    const wcol = values['weight-column'];
    const data = await loadSample(dataPath, grid, { weighted: false, dropInvalid });
    const bg = values.background ? await loadSample(values.background, grid, { weighted: true, weightColumn: wcol, dropInvalid }) : undefined;
    const sig = values.signal ? await loadSample(values.signal, grid, { weighted: true, weightColumn: wcol, dropInvalid }) : undefined;
    if (values['save-grid']) writeAtomic(values['save-grid'], gridToJson(grid));
    const backend = await selectBackend(backendOptions(values));
    try {
      const t0 = performance.now();
      const r = await runScan(backend, grid, data.table, { background: bg?.table, signal: sig?.table, relBackgroundSyst: rel, abort: ctx?.signal });
      const seconds = (performance.now() - t0) / 1000;
      const sample = (path: string, s: TableResult & { derived: string[] }, w?: { weightExp: number }) => ({
        file: path, events: s.table.length, dropped_invalid: s.dropped, dropped_by_column: s.droppedByColumn,
        weight_column: s.table.weightColumn ?? null, derived_columns: s.derived,
        ...(w && s.table.weightColumn ? { weight_quantum: `2^-${w.weightExp}` } : {}),
      });
      const doc = {
        schema: 'darkscan-scan/1',
        units: 'GeV (masses, energies, centres, semi-axes); n, b, sigma_b in events',
        backend: backend.name,
        backend_details: backend.info().details,
        kernel: 'window_count',
        membership: 'f32: ((x-cx)^2 / ax^2 + (y-cy)^2 / ay^2) <= 1 on coordinates quantised to 2^-24 GeV, identical on every backend',
        grid: { name: grid.name, shape: grid.shape, variables: grid.variables, windows: grid.cx.length, params: grid.params },
        cells: r.data.cells,
        inputs: { data: sample(dataPath, data), background: bg ? sample(values.background!, bg, r.background) : null, signal: sig ? sample(values.signal!, sig, r.signal) : null },
        background_rel_syst: rel,
        p_value_method: r.b ? P_METHOD : 'no --background: b, sigma_b, p and Z not computed',
        scan_seconds: seconds,
        windows: scanRows(r),
      };
      writeAtomic(outPath, JSON.stringify(doc));
      let best = -1;
      if (r.z) for (let i = 0; i < r.z.length; i++) if (best < 0 || r.p![i] < r.p![best]) best = i;
      out(`scan: ${grid.cx.length} windows (${grid.name}), ${data.table.length} data events${bg ? `, ${bg.table.length} background` : ''}${sig ? `, ${sig.table.length} signal` : ''} on ${backend.name} in ${seconds.toFixed(3)} s -> ${outPath}`);
      for (const [name, s] of [['data', data], ['background', bg], ['signal', sig]] as const) {
        if (s && s.dropped) out(`scan: ${name}: dropped ${s.dropped} invalid rows (${JSON.stringify(s.droppedByColumn)})`);
      }
      if (best >= 0) {
        const row = doc.windows[best];
        out(`scan: smallest local p = ${r.p![best].toExponential(3)} (Z = ${r.z![best].toFixed(2)}) in window ${best}: ${JSON.stringify(row)}`);
      }
    } finally {
      await backend.dispose();
    }
    return 0;
  },
};
