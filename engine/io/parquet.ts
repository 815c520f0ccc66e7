// Parquet events through hyparquet (pure JS; snappy and uncompressed built in). Codecs hyparquet
// does not bundle (gzip, zstd, brotli, lz4) give a clear error naming the codec. Every numeric
// physical type is read as float64 (INT64 goes through BigInt; values above 2^53 lose precision).
// Columns that are not numbers (strings, lists, structs, timestamps, dates) are skipped and listed
// in meta.parquet_skipped_columns, unless asked for by name: then the error says what they are.
// The footer's row count is checked against the rows the pages hold.
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { FileFormatError, neededColumns, selectColumns, type ColumnMapping, type ColumnTable, type NumericColumn } from './columns.js';

export interface ParquetReadOptions {
  readonly columns?: ColumnMapping;
  readonly source?: string;
}

function toArrayBuffer(b: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export async function parseParquet(bytes: ArrayBuffer | Uint8Array, o: ParquetReadOptions = {}): Promise<ColumnTable> {
  const source = o.source ?? 'parquet';
  const file = toArrayBuffer(bytes);
  const u8 = new Uint8Array(file);
  const magic = (at: number) => String.fromCharCode(...u8.subarray(at, at + 4));
  if (file.byteLength < 12 || magic(0) !== 'PAR1') throw new FileFormatError(source, `not a Parquet file (no 'PAR1' magic at the start; ${file.byteLength} bytes)`);
  if (magic(file.byteLength - 4) !== 'PAR1') throw new FileFormatError(source, `truncated Parquet file: no 'PAR1' footer magic at the end (${file.byteLength} bytes)`);
  let meta;
  try {
    meta = parquetMetadata(file);
  } catch (e) {
    throw new FileFormatError(source, `unreadable Parquet footer: ${(e as Error).message}`);
  }
  const schema = parquetSchema(meta);
  const leaves = schema.children.map((c) => c.element.name);
  const why = new Map(schema.children.map((c) => [c.element.name, notNumeric(c)]));
  const numeric = leaves.filter((l) => !why.get(l));
  const asked = neededColumns(o.columns);
  const want = asked ?? numeric;
  for (const w of want) {
    if (!leaves.includes(w)) throw new FileFormatError(source, `column '${w}' not found; available: ${leaves.join(', ')}`);
    if (why.get(w)) throw new FileFormatError(source, `column '${w}' is ${why.get(w)}: darkscan reads numeric columns only (numeric columns here: ${numeric.join(', ') || 'none'})`);
  }
  const n = Number(meta.num_rows);
  if (!Number.isSafeInteger(n) || n < 0) throw new FileFormatError(source, `footer row count ${meta.num_rows} is not a valid count`);
  const groups = meta.row_groups.reduce((a, g) => a + Number(g.num_rows), 0);
  if (groups !== n) throw new FileFormatError(source, `the footer says ${n} rows, its row groups ${groups}: corrupt footer`);
  const all: Record<string, NumericColumn> = {};
  const got: Record<string, number> = {};
  for (const w of want) { all[w] = new Float64Array(n); got[w] = 0; }
  // onChunk must not throw: hyparquet calls it inside a `.then` nobody awaits, so a throw there is
  // an unhandled rejection and never reaches this function. The first problem is kept and thrown
  // after the read.
  let chunkError: FileFormatError | undefined;
  try {
    await parquetRead({
      file,
      metadata: meta,
      columns: want,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const dst = all[columnName];
        if (!dst || chunkError) return;
        if (rowStart + columnData.length > n) {
          chunkError = new FileFormatError(source, `column '${columnName}' holds more rows (${rowStart + columnData.length}) than the footer's ${n}: corrupt file`);
          return;
        }
        got[columnName] += columnData.length;
        for (let i = 0; i < columnData.length; i++) {
          const v = columnData[i] as unknown;
          const x = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'boolean' ? +v : v === null || v === undefined ? NaN : NaN;
          if (typeof v !== 'bigint' && typeof v !== 'number' && typeof v !== 'boolean' && v !== null && v !== undefined) {
            chunkError = new FileFormatError(source, `column '${columnName}' is not numeric (row ${rowStart + i}: ${String(v).slice(0, 40)})`);
            return;
          }
          dst[rowStart + i] = x;
        }
      },
    });
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    const msg = (e as Error).message ?? String(e);
    const codec = /unsupported compression codec: (\w+)/.exec(msg);
    if (codec) throw new FileFormatError(source, `Parquet compression codec ${codec[1]} is not supported by this reader (hyparquet: snappy and uncompressed only); rewrite the file with snappy or no compression`);
    throw new FileFormatError(source, `corrupt or truncated Parquet data: ${msg}`);
  }
  if (chunkError) throw chunkError;
  for (const w of want) if (got[w] !== n) throw new FileFormatError(source, `column '${w}': the pages hold ${got[w]} rows, the footer says ${n}: corrupt or truncated file`);
  const skipped = leaves.filter((l) => why.get(l) && !want.includes(l));
  return { length: n, columns: selectColumns(source, all, o.columns), meta: { parquet_created_by: meta.created_by ?? '', ...(skipped.length ? { parquet_skipped_columns: skipped } : {}) }, source };
}

const NUMERIC_TYPES = new Set(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE']);
const NOT_A_NUMBER = /^(UTF8|STRING|ENUM|JSON|BSON|UUID|DATE|TIME|TIME_MILLIS|TIME_MICROS|TIMESTAMP|TIMESTAMP_MILLIS|TIMESTAMP_MICROS|INTERVAL|MAP|LIST|MAP_KEY_VALUE)$/;

/** Why a top-level schema column is not a plain number per row (undefined when it is one). */
function notNumeric(c: ReturnType<typeof parquetSchema>): string | undefined {
  const e = c.element as { type?: string; converted_type?: string; logical_type?: { type?: string }; repetition_type?: string };
  const logical = e.logical_type?.type ?? e.converted_type;
  if (c.children.length) return `a nested column (${logical ?? 'group'} of ${c.children.map((x) => x.element.name).join(', ')})`;
  if (e.repetition_type === 'REPEATED') return 'a repeated (list) column';
  if (logical && NOT_A_NUMBER.test(logical)) return `a ${logical.toLowerCase()} column`;
  if (!e.type || !NUMERIC_TYPES.has(e.type)) return `a ${(e.type ?? 'typeless').toLowerCase()} column`;
  return undefined;
}

export async function readParquet(path: string, o: Omit<ParquetReadOptions, 'source'> = {}): Promise<ColumnTable> {
  const { readBytes } = await import('./text.js');
  return parseParquet(await readBytes(path), { ...o, source: path });
}
