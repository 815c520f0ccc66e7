// Streaming input: CSV event files read in chunks of rows, so that a scan's memory is bounded by
// the chunk size, not the file size. The parsing rules (and error messages) are those of
// engine/events.ts parseCsvColumns: a header line of column names, then one numeric row per
// event; blank lines and '#' lines are skipped; quoted fields as RFC 4180; '' and 'nan' are NaN;
// numbers by engine/io/text.ts parseNumberText (decimal and exponent forms); anything else is an
// error naming the file, column, row and line. A gzip / UTF-16 / binary file is named as such.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EventValidationError } from './events.js';
import { checkText, fastNumber, ioError, notANumber, parseNumberText, splitCsvLine } from './io/text.js';

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
 */
export async function* csvChunks(input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, o: CsvStreamOptions = {}): AsyncGenerator<ColumnChunk> {
  const source = o.source ?? 'csv';
  const chunkRows = o.chunkRows ?? 1 << 20;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunk rows must be a positive integer, got ${chunkRows}`);
  const maxLine = o.maxLineChars ?? 1 << 20;
  const decoder = new TextDecoder('utf-8');
  let header: string[] | undefined;
  let keepIdx: number[] = [];
  let keepNames: string[] = [];
  let cols: Float64Array[] = [];
  let fill = 0, row = 0, lineNo = 0, emitted = 0;
  let rest = '';

  const fresh = () => {
    cols = keepIdx.map(() => new Float64Array(chunkRows));
    fill = 0;
  };
  const take = (): ColumnChunk => {
    const columns: Record<string, Float64Array> = {};
    keepNames.forEach((n, k) => (columns[n] = fill === chunkRows ? cols[k] : cols[k].slice(0, fill)));
    const c = { firstRow: row - fill, rows: fill, columns, header: header! };
    emitted++;
    fresh();
    return c;
  };
  // A data line: fields between commas. The fast path takes fields fastNumber settles; any other
  // field sends the whole line to the slow path, which is parseCsvColumns' rule verbatim.
  const field = (t0: string, j: number): number => {
    const t = t0.trim();
    const v = t === '' ? NaN : parseNumberText(t);
    if (v === undefined) throw new EventValidationError(header![j], row, `${notANumber(t)} (line ${lineNo})`, source);
    return v;
  };
  const split = (s: string) => {
    try {
      return splitCsvLine(s);
    } catch (e) {
      throw new Error(`${source}: line ${lineNo}: ${(e as Error).message}`);
    }
  };
  let sniffed = false;
  let vals = new Float64Array(0);
  // Returns true when the chunk is full. The line is text[a, b) without its '\n'.
  const line = (text: string, a: number, b: number): boolean => {
    lineNo++;
    const c0 = text.charCodeAt(a);
    if (header && b > a && c0 > 32 && c0 < 127 && c0 !== 35 /* "#" */) {
      // Fast path: a data line starting with a visible character.
      const nf = header.length;
      let p = a, j = 0;
      for (; j < nf; j++) {
        let e = text.indexOf(',', p);
        if (e < 0 || e > b) e = b;
        else if (j === nf - 1) break; // more fields than the header: slow path reports it
        const v = fastNumber(text.slice(p, e));
        if (v === undefined) { j = -1; break; }
        vals[j] = v;
        p = e + 1;
        if (e === b) { j++; break; }
      }
      if (j === nf && p > b) {
        for (let k = 0; k < keepIdx.length; k++) cols[k][fill] = vals[keepIdx[k]];
        fill++;
        row++;
        return fill === chunkRows;
      }
    }
    const s = text.slice(a, b).trim();
    if (s === '' || s.startsWith('#')) return false;
    if (!header) {
      const h = split(s).map((x) => x.trim());
      h.forEach((name, j) => {
        if (name === '') throw new Error(`${source}: line ${lineNo}: column ${j + 1} of the header has no name`);
        if (h.indexOf(name) !== j) throw new Error(`${source}: line ${lineNo}: column '${name}' appears twice`);
      });
      header = h;
      vals = new Float64Array(h.length);
      const want = o.keep ?? h;
      keepIdx = [];
      keepNames = [];
      for (const n of want) {
        const j = h.indexOf(n);
        if (j >= 0) { keepIdx.push(j); keepNames.push(n); }
      }
      fresh();
      return false;
    }
    const f = split(s);
    if (f.length !== header.length) throw new Error(`${source}: line ${lineNo} (row ${row}): ${f.length} fields, header has ${header.length}`);
    for (let j = 0; j < f.length; j++) vals[j] = field(f[j], j);
    for (let k = 0; k < keepIdx.length; k++) cols[k][fill] = vals[keepIdx[k]];
    fill++;
    row++;
    return fill === chunkRows;
  };

  for await (const piece of input) {
    o.signal?.throwIfAborted();
    if (!sniffed && typeof piece !== 'string') {
      checkText(piece.subarray(0, 4096), source, 'a CSV text file');
      sniffed = true;
    }
    let text = rest + (typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
    let start = 0;
    const full: ColumnChunk[] = [];
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      if (line(text, start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl)) full.push(take());
      start = nl + 1;
    }
    rest = text.slice(start);
    text = '';
    if (rest.length > maxLine) throw new Error(`${source}: line ${lineNo + 1} is longer than ${maxLine} characters (not a CSV event file?)`);
    for (const c of full) yield c;
  }
  rest += decoder.decode();
  if (rest !== '' && line(rest, 0, rest.length)) yield take();
  if (!header) throw new Error(`${source}: no header line`);
  if (fill > 0 || emitted === 0) yield take();
}

/** Streams a CSV file from disk in chunks (64 KiB reads). */
export async function* csvFileChunks(path: string, o: CsvStreamOptions = {}): AsyncGenerator<ColumnChunk> {
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  } catch (e) {
    throw ioError(path, e);
  }
  yield* csvChunks(createReadStream(path, { highWaterMark: 1 << 16 }), { source: path, ...o });
}
