// Parquet events through hyparquet (pure JS; snappy and uncompressed built in). Codecs hyparquet
// does not bundle (gzip, zstd, brotli, lz4) give a clear error naming the codec. Every numeric
// physical type is read as float64 (INT64 goes through BigInt; values above 2^53 lose precision).
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
  const want = neededColumns(o.columns) ?? leaves;
  for (const w of want) if (!leaves.includes(w)) throw new FileFormatError(source, `column '${w}' not found; available: ${leaves.join(', ')}`);
  const n = Number(meta.num_rows);
  const all: Record<string, NumericColumn> = {};
  for (const w of want) all[w] = new Float64Array(n);
  try {
    await parquetRead({
      file,
      metadata: meta,
      columns: want,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const dst = all[columnName];
        if (!dst) return;
        for (let i = 0; i < columnData.length && rowStart + i < n; i++) {
          const v = columnData[i] as unknown;
          const x = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'boolean' ? +v : v === null || v === undefined ? NaN : NaN;
          if (typeof v !== 'bigint' && typeof v !== 'number' && typeof v !== 'boolean' && v !== null && v !== undefined) {
            throw new FileFormatError(source, `column '${columnName}' is not numeric (row ${rowStart + i}: ${String(v).slice(0, 40)})`);
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
  return { length: n, columns: selectColumns(source, all, o.columns), meta: { parquet_created_by: meta.created_by ?? '' }, source };
}

export async function readParquet(path: string, o: Omit<ParquetReadOptions, 'source'> = {}): Promise<ColumnTable> {
  const { readFile } = await import('node:fs/promises');
  return parseParquet(await readFile(path), { ...o, source: path });
}
