// `darkscan infer`: scores events with an MLP (ONNX or darkscan JSON), or with a mass-range model
// set, and writes the events with a score column added (CSV: provenance in a FILE.meta.json sidecar).
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { readEvents } from '../io/index.js';
import { toCsv } from '../io/csv.js';
import { toJson } from '../io/json.js';
import { checkOutputPath, FORCE_FLAG, writeAtomic } from '../output.js';
import { describeModel, loadModelFile, loadModelSet, scoreByRange, scoreEvents, type Mlp, type ModelSet } from '../nn/index.js';
import { BACKEND_FLAGS, intArg, required, withBackend, type Command } from './args.js';
import { DARKSCAN_VERSION, fileDigest } from '../provenance.js';

/** The provenance sidecar of a CSV output: scored.csv -> scored.meta.json (undefined for JSON outputs). */
export function inferSidecar(outPath: string): string | undefined {
  return outPath.toLowerCase().endsWith('.csv') ? `${outPath.slice(0, -4)}.meta.json` : undefined;
}

const OPTIONS = {
  model: { type: 'string', arg: 'FILE', help: 'one MLP: FILE.onnx or FILE.json (darkscan-mlp/1)' },
  ranges: { type: 'string', arg: 'FILE', help: 'a mass-range model set, FILE.json (darkscan-mlp-ranges/1)' },
  data: { type: 'string', arg: 'FILE', help: 'events: CSV, JSON, Parquet or ROOT' },
  columns: { type: 'string', arg: 'A,B,..', help: "the file's columns fed to the model, in the model's input order" },
  out: { type: 'string', arg: 'FILE', help: 'the events with the score column: FILE.csv (provenance in FILE.meta.json) or FILE.json' },
  'score-column': { type: 'string', default: 'score', arg: 'NAME', help: 'name of the added column' },
  'score-index': { type: 'string', arg: 'K', help: 'which model output is the score (default: the last)' },
  batch: { type: 'string', arg: 'N', help: 'events per kernel dispatch (default: automatic; results do not depend on it)' },
  tree: { type: 'string', arg: 'NAME', help: 'ROOT files: the TTree (default: the only one)' },
  ...FORCE_FLAG,
  ...BACKEND_FLAGS,
} as const;

export const infer: Command = {
  summary: 'score events with an MLP (ONNX / JSON) or a mass-range model set; adds a score column',
  usage: 'infer (--model FILE.onnx|FILE.json | --ranges FILE.json) --data FILE.csv|.json|.parquet|.root --columns a,b,c --out FILE.csv|.json [--score-column score] [--score-index K] [--batch N]',
  options: OPTIONS,
  async run(args, out) {
    const { values } = parseArgs({ args, options: OPTIONS });
    if ((values.model === undefined) === (values.ranges === undefined)) throw new Error('give exactly one of --model FILE (one MLP) and --ranges FILE.json (a mass-range model set)');
    const dataPath = required(values.data, '--data');
    const outPath = required(values.out, '--out');
    checkOutputPath(outPath, values.force);
    const sidecarPath = inferSidecar(outPath);
    if (sidecarPath) checkOutputPath(sidecarPath, values.force, '--out (its provenance sidecar)');
    const lower = outPath.toLowerCase();
    if (!lower.endsWith('.csv') && !lower.endsWith('.json')) throw new Error(`--out: expected a .csv or .json file, got '${outPath}'`);
    const columns = required(values.columns, '--columns', 'the model inputs, in the order the model takes them').split(',').map((s) => s.trim());
    if (columns.some((c) => c === '')) throw new Error(`--columns: empty name in '${values.columns}'`);
    const scoreCol = values['score-column']!;
    const scoreIndex = values['score-index'] === undefined ? undefined : intArg(values['score-index'], '--score-index', 0, 255);
    const batch = values.batch === undefined ? undefined : intArg(values.batch, '--batch', 1, 1 << 24);

    let model: Mlp | undefined, set: ModelSet | undefined;
    if (values.model) model = await loadModelFile(values.model, { scoreIndex });
    else set = await loadModelSet(values.ranges!);
    const nIn = model ? model.nIn : set!.ranges[0].model.nIn;
    if (columns.length !== nIn) throw new Error(`--columns lists ${columns.length} columns, the model takes ${nIn} features`);
    const names = model?.inputNames ?? set?.ranges[0].model.inputNames;
    if (names && names.join(',') !== columns.join(',')) out(`infer: note: the model names its inputs ${names.join(',')}; using --columns ${columns.join(',')} in that order`);

    const table = await readEvents(dataPath, { tree: values.tree });
    for (const c of [...columns, ...(set ? [set.column] : [])]) {
      if (!(c in table.columns)) throw new Error(`${dataPath}: no column '${c}' (have: ${Object.keys(table.columns).join(', ')})`);
    }
    if (scoreCol in table.columns) throw new Error(`${dataPath}: already has a column '${scoreCol}' (choose another with --score-column)`);
    const rows = table.length;
    const x = new Float32Array(rows * nIn);
    columns.forEach((c, i) => {
      const col = table.columns[c];
      for (let r = 0; r < rows; r++) {
        const v = col[r];
        if (!Number.isFinite(v)) throw new Error(`${dataPath}: row ${r}, column '${c}' is ${v} (features must be finite numbers)`);
        x[r * nIn + i] = v;
      }
    });

    await withBackend(values, async (backend) => {
      const t0 = performance.now();
      let scores: Float32Array, rangeInfo: Record<string, unknown> | undefined;
      if (model) {
        scores = await scoreEvents(backend, model, x, { batch, columns });
      } else {
        const r = await scoreByRange(backend, set!, x, table.columns[set!.column], { batch, columns });
        scores = r.scores;
        rangeInfo = {
          column: set!.column, unit: set!.unit ?? null, outside: set!.outside, events_outside: r.outside,
          ranges: set!.ranges.map((g, k) => ({ min: g.min, max: g.max, model: g.file ?? g.model.source, shape: describeModel(g.model), events: r.counts[k] })),
        };
      }
      const seconds = (performance.now() - t0) / 1000;
      const meta = {
        ...table.meta,
        darkscan_infer: {
          schema: 'darkscan-infer/1', darkscan_version: DARKSCAN_VERSION, data: dataPath, data_sha256: await fileDigest(dataPath), columns, score_column: scoreCol,
          score: 'MLP output unit (dimensionless), f32, bit-identical on every backend',
          ...(values.ranges ? { ranges_file: values.ranges, ranges_sha256: await fileDigest(values.ranges) } : {}),
          model: model ? { file: values.model, sha256: await fileDigest(values.model!), source: model.source, shape: describeModel(model), score_index: model.scoreIndex } : null,
          ranges: rangeInfo ?? null, backend: backend.name, events: rows, seconds,
        },
      };
      const cols = { ...table.columns, [scoreCol]: scores };
      // CSV: a plain header + rows that any CSV reader takes (Python's csv, pandas); the provenance
      // goes to the sidecar FILE.meta.json. JSON keeps it inside, under "meta".
      const sidecar = inferSidecar(outPath);
      if (sidecar) writeAtomic(sidecar, JSON.stringify({ csv: basename(outPath), ...meta }, null, 2) + '\n');
      writeAtomic(outPath, sidecar ? toCsv(cols) : toJson(cols, meta));
      const what = model ? describeModel(model) : `${set!.ranges.length} range models on '${set!.column}'`;
      out(`infer: ${rows} events scored with ${what} on ${backend.name} in ${seconds.toFixed(3)} s -> ${outPath} (column '${scoreCol}')${sidecar ? `, provenance in ${sidecar}` : ''}`);
      if (rangeInfo && (rangeInfo.events_outside as number) > 0) out(`infer: ${rangeInfo.events_outside} events outside every range: score ${set!.outside === 'nan' ? 'NaN' : set!.outside}`);
    });
    return 0;
  },
};
