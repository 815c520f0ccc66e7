// File I/O for darkscan: readers for CSV, JSON, Parquet and ROOT TTrees (by extension, with
// column mapping), writers for CSV, JSON and HEPData YAML.
import { FileFormatError, type ColumnMapping, type ColumnTable } from './columns.js';
import { parseCsv, readCsv, readCsvBytes, toCsv } from './csv.js';
import { readBytes, readText } from './text.js';
import { parseJson, toJson } from './json.js';
import { parseParquet, readParquet } from './parquet.js';
import { parseRoot, readRoot, rootHeader } from './root.js';
import { hepdataLimitYaml, hepdataSubmissionYaml, type LimitTable } from './hepdata.js';

export { FileFormatError, parseCsv, readCsv, toCsv, parseJson, toJson, parseParquet, readParquet, parseRoot, readRoot, rootHeader, hepdataLimitYaml, hepdataSubmissionYaml };
export type { ColumnMapping, ColumnTable, LimitTable };

export interface ReadOptions {
  readonly columns?: ColumnMapping;
  /** ROOT only: the TTree. */
  readonly tree?: string;
}

/** Reads an event file by extension: .csv, .json, .parquet/.pq, .root. */
export async function readEvents(path: string, o: ReadOptions = {}): Promise<ColumnTable> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsv(await readCsvBytes(path), { columns: o.columns, source: path });
  if (lower.endsWith('.json')) return parseJson(await readText(path, 'a JSON text file'), { columns: o.columns, source: path });
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return parseParquet(await readBytes(path), { columns: o.columns, source: path });
  if (lower.endsWith('.root')) return parseRoot(await readBytes(path), { columns: o.columns, tree: o.tree, source: path });
  throw new FileFormatError(path, 'unknown file type (expected .csv, .json, .parquet or .root)');
}

/** Writes columns with metadata as CSV or JSON, by extension. */
export async function writeEvents(path: string, columns: Readonly<Record<string, ArrayLike<number>>>, meta: Readonly<Record<string, unknown>> = {}, units?: Readonly<Record<string, string>>): Promise<void> {
  const lower = path.toLowerCase();
  let text: string;
  if (lower.endsWith('.csv')) text = toCsv(columns, units ? { ...meta, units } : meta);
  else if (lower.endsWith('.json')) text = toJson(columns, meta, units);
  else throw new Error(`${path}: unknown output type (expected .csv or .json)`);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, text);
}
