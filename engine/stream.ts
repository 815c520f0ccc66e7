// Streaming input: CSV event files read in chunks of rows, so that a scan's memory is bounded by
// the chunk size, not the file size. The parsing rules (and error messages) are those of
// engine/events.ts parseCsvColumns: a header line of column names, then one numeric row per
// event; blank lines and '#' lines are skipped; quoted fields as RFC 4180; '' and 'nan' are NaN;
// numbers by engine/io/text.ts parseNumberText (decimal and exponent forms); anything else is an
// error naming the file, column, row and line. A gzip / UTF-16 / binary file is named as such.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { eventLineRule } from './events.js';
import { CsvRows } from './io/csvbytes.js';
import { checkText, ioError } from './io/text.js';

export interface ColumnChunk {
  /** 0-based data row of the chunk's first row (rows of the whole file, for error messages). */
  readonly firstRow: number;
  readonly rows: number;
  /** Column name -> values of this chunk's rows (every header column, or only `keep`). */
  readonly columns: Record<string, Float64Array>;
  /** The file's header, in order. */
  readonly header: readonly string[];
}

export interface CsvStreamOptions {
  /** Named in error messages. */
  readonly source?: string;
  /** Rows per chunk (default 1 << 20). */
  readonly chunkRows?: number;
  /** Columns to return (others are still checked to be numbers); default all. */
  readonly keep?: readonly string[];
  /** Stops between pieces of input. */
  readonly signal?: AbortSignal;
  /** Longest line accepted, in characters (default 1 MiB): a file without line breaks is an error, not unbounded memory. */
  readonly maxLineChars?: number;
}

/**
 * Parses CSV text arriving in pieces (strings or UTF-8 bytes; a multi-byte character may be split
 * between pieces) into column chunks of `chunkRows` rows. At least one chunk is produced once a
 * header is read (an empty chunk for a header-only file), so that consumers see the columns.
 * Lines are cut from the bytes and plain numeric ones parsed there (engine/io/csvbytes.ts); only
 * an unfinished line is carried to the next piece.
 */
export async function* csvChunks(input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, o: CsvStreamOptions = {}): AsyncGenerator<ColumnChunk> {
  const source = o.source ?? 'csv';
  const chunkRows = o.chunkRows ?? 1 << 20;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunk rows must be a positive integer, got ${chunkRows}`);
  const maxLine = o.maxLineChars ?? 1 << 20;
  const enc = new TextEncoder();
  let header: string[] | undefined;
  let keepNames: string[] = [];
  let emitted = 0;
  const rows: CsvRows = new CsvRows(eventLineRule(source, () => rows.row, (h) => {
    header = h;
    const want = o.keep ?? h;
    const keepIdx: number[] = [];
    keepNames = [];
    for (const n of want) {
      const j = h.indexOf(n);
      if (j >= 0) { keepIdx.push(j); keepNames.push(n); }
    }
    rows.header(h.length, keepIdx);
  }), ',', chunkRows, false);
  const take = (): ColumnChunk => {
    const columns: Record<string, Float64Array> = {};
    const cols = rows.block();
    keepNames.forEach((n, k) => (columns[n] = cols[k]));
    const c = { firstRow: rows.row - rows.fill, rows: rows.fill, columns, header: header! };
    emitted++;
    rows.fresh();
    return c;
  };
  let sniffed = false;
  let rest = new Uint8Array(0);
  // Parses buf (rest + the new piece) as far as it has whole lines; full chunks are returned.
  const feed = (buf: Uint8Array, last: boolean): ColumnChunk[] => {
    const full: ColumnChunk[] = [];
    let p = 0;
    for (;;) {
      p = rows.lines(buf, p, buf.length, last);
      if (!rows.full) break;
      full.push(take());
    }
    rest = buf.slice(p);
    return full;
  };
  for await (const piece of input) {
    o.signal?.throwIfAborted();
    if (!sniffed && typeof piece !== 'string') {
      checkText(piece.subarray(0, 4096), source, 'a CSV text file');
      sniffed = true;
    }
    let bytes = typeof piece === 'string' ? enc.encode(piece) : piece;
    const full: ColumnChunk[] = [];
    if (rest.length) {
      // only the line split between pieces is copied; the piece is read where it lies
      const nl = bytes.indexOf(10);
      const head = new Uint8Array(rest.length + (nl < 0 ? bytes.length : nl + 1));
      head.set(rest);
      head.set(nl < 0 ? bytes : bytes.subarray(0, nl + 1), rest.length);
      full.push(...feed(head, false));
      bytes = nl < 0 ? bytes.subarray(bytes.length) : bytes.subarray(nl + 1);
      if (nl < 0 && rest.length <= maxLine) continue;
    }
    if (rest.length === 0) full.push(...feed(bytes, false));
    if (rest.length > maxLine) throw new Error(`${source}: line ${rows.lineNo + 1} is longer than ${maxLine} characters (not a CSV event file?)`);
    for (const c of full) yield c;
  }
  for (const c of feed(rest, true)) yield c;
  if (!header) throw new Error(`${source}: no header line`);
  if (rows.fill > 0 || emitted === 0) yield take();
}

/** Streams a CSV file from disk in chunks (1 MiB reads). */
export async function* csvFileChunks(path: string, o: CsvStreamOptions = {}): AsyncGenerator<ColumnChunk> {
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  } catch (e) {
    throw ioError(path, e);
  }
  yield* csvChunks(createReadStream(path, { highWaterMark: 1 << 20 }), { source: path, ...o });
}
