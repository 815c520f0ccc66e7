// CSV rows straight from UTF-8 bytes, for every CSV reader (engine/io/csv.ts parseCsv, engine/events.ts
// parseCsvColumns, engine/stream.ts csvChunks): lines split at '\n' (a '\r' before it dropped), and
// a data line whose fields are all plain decimal / exponent numbers between single-byte delimiters
// is parsed without making a string. Every other line (header, comments, blanks, quotes, spaces,
// nan, '', a bad value) goes as text to the reader's own rule (`slow`), so errors and odd input
// are handled exactly as that reader's string code did. The fast path reads only what the rule
// (engine/io/text.ts parseNumberText) reads as Number(field), and gives the same double: exact
// when the digits fit in 2^53 and the power of ten is exact (one correctly rounded * or /,
// Clinger, PLDI 1990), else Number() of the field's text.

const P10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const utf8 = new TextDecoder('utf-8');

function latin1(b: Uint8Array, a: number, e: number): string {
  let s = '';
  for (let i = a; i < e; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** End of the last number read by readNumber (module state: one return value stays a double). */
let numEnd = 0;

/**
 * The number at b[p..]: sign, digits, '.', digits, exponent, as parseNumberText's decimal rule;
 * NaN when none is there (the fast path then gives the line to the slow rule). numEnd is where
 * it stopped. The value equals Number() of the text read.
 */
export function readNumber(b: Uint8Array, p: number): number {
  const start = p;
  let c = b[p], neg = false;
  if (c === 45) { neg = true; c = b[++p]; } else if (c === 43) c = b[++p];
  // m stays exact while it is below 2^53 (then every partial sum was too)
  let m = 0, frac = 0, digits = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    digits++;
    c = b[++p];
  }
  if (c === 46) {
    c = b[++p];
    const f0 = p;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      c = b[++p];
    }
    frac = p - f0;
    digits += frac;
  }
  if (digits === 0) return NaN;
  let ex = 0;
  if ((c | 32) === 101) {
    c = b[++p];
    let eneg = false;
    if (c === 45) { eneg = true; c = b[++p]; } else if (c === 43) c = b[++p];
    if (!(c >= 48 && c <= 57)) return NaN;
    while (c >= 48 && c <= 57) {
      if (ex < 1e6) ex = ex * 10 + (c - 48);
      c = b[++p];
    }
    if (eneg) ex = -ex;
  }
  numEnd = p;
  if (m === 0) return neg ? -0 : 0;
  const e10 = ex - frac;
  let v: number;
  if (m <= 9007199254740992 && e10 >= -22 && e10 <= 22) v = e10 >= 0 ? m * P10[e10] : m / P10[-e10];
  else return Number(latin1(b, start, p));
  return neg ? -v : v;
}

/**
 * What a reader does with a line the fast path did not settle: its values (one per header field)
 * for a data row, or undefined for no row (blank, comment, metadata, the header, which the rule
 * announces by calling header()). `next` is the byte offset after the line.
 */
export type SlowLine = (line: string, lineNo: number, next: number) => ArrayLike<number> | undefined;

export class CsvRows {
  /** Header fields (0 before the header). */
  private nf = 0;
  private keep: number[] = [];
  private delim: number;
  private vals = new Float64Array(0);
  /** Lines seen (1-based number of the last one), data rows taken. */
  lineNo = 0;
  row = 0;
  /** Kept columns of the current block, `fill` rows of `cap`. */
  cols: Float64Array[] = [];
  fill = 0;
  private cap: number;

  constructor(private readonly slow: SlowLine, delimiter: string, cap: number, private readonly grow: boolean) {
    const d = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
    // a delimiter that can be part of a number (or a quote) leaves every line to the slow rule
    this.delim = d > 0 && d < 128 && !/[0-9.+\-eE"]/.test(delimiter) ? d : -1;
    this.cap = cap;
  }

  /** The header is read: `nf` fields, of which columns `keep` (indices) are stored. */
  header(nf: number, keep: readonly number[]): void {
    this.nf = nf;
    this.keep = keep.slice();
    this.vals = new Float64Array(nf);
    this.fresh();
  }

  get hasHeader(): boolean { return this.nf > 0; }

  /** Starts a new block of columns (the previous one belongs to the caller). */
  fresh(): void {
    this.cols = this.keep.map(() => new Float64Array(this.cap));
    this.fill = 0;
  }

  /** The current block's columns, cut to `fill` rows. */
  block(): Float64Array[] {
    return this.cols.map((c) => (this.fill === c.length ? c : c.slice(0, this.fill)));
  }

  get full(): boolean { return !this.grow && this.fill === this.cap; }

  /**
   * Parses the complete lines of b[p, end) (with `last`, the text after the final '\n' too) until
   * the block is full; returns where it stopped (the start of the first line not read).
   */
  lines(b: Uint8Array, p: number, end: number, last: boolean): number {
    while (p < end && !this.full) {
      // a plain numeric line is read without looking for its end first
      if (this.nf > 0) {
        const q = this.fast(b, p, end);
        if (q >= 0) {
          this.lineNo++;
          p = q;
          continue;
        }
      }
      let nl = b.indexOf(10, p);
      if (nl < 0 || nl >= end) {
        if (!last) break;
        nl = end;
      }
      let le = nl;
      if (le > p && b[le - 1] === 13) le--;
      this.lineNo++;
      const v = this.slow(utf8.decode(b.subarray(p, le)), this.lineNo, nl + 1);
      if (v !== undefined) this.push(v);
      p = nl + 1;
    }
    return Math.min(p, end);
  }

  private push(v: ArrayLike<number>): void {
    if (this.fill === this.cap) this.enlarge();
    const k = this.keep, cols = this.cols, f = this.fill;
    for (let i = 0; i < k.length; i++) cols[i][f] = v[k[i]];
    this.fill++;
    this.row++;
  }

  private enlarge(): void {
    this.cap *= 2;
    this.cols = this.cols.map((c) => {
      const d = new Float64Array(this.cap);
      d.set(c);
      return d;
    });
  }

  /**
   * A line at p of nf plain numbers between delimiters, ended by '\n' or '\r\n' before `end`:
   * its values are stored and the start of the next line returned; -1 for anything else.
   */
  private fast(b: Uint8Array, p: number, end: number): number {
    const nf = this.nf, vals = this.vals, d = this.delim;
    for (let j = 0; j < nf; j++) {
      const v = readNumber(b, p);
      if (v !== v) return -1;
      let q = numEnd;
      if (q >= end) return -1;
      const c = b[q];
      if (j < nf - 1) {
        if (c !== d) return -1;
      } else if (c !== 10) {
        if (c !== 13 || q + 1 >= end || b[q + 1] !== 10) return -1;
        q++;
      }
      vals[j] = v;
      p = q + 1;
    }
    this.push(vals);
    return p;
  }
}

/**
 * Rows to allocate for a whole text: its length over the mean line length of its first 64 KiB,
 * plus 1/16 (the columns grow if the rest has shorter lines; a fixed start would copy them ~log2(rows) times).
 */
export function expectedRows(b: Uint8Array): number {
  const head = Math.min(b.length, 1 << 16);
  if (head === 0) return 16;
  let lines = 1;
  for (let i = b.indexOf(10); i >= 0 && i < head; i = b.indexOf(10, i + 1)) lines++;
  return Math.ceil((b.length / head) * lines * 1.0625) + 16;
}

/** Text as UTF-8 bytes (readers take both). */
export function asBytes(t: string | Uint8Array): Uint8Array {
  return typeof t === 'string' ? new TextEncoder().encode(t) : t;
}
