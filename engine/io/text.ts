// What every text reader shares (CSV in memory, streamed CSV, the io readers, the page): one rule
// for a number, one CSV field splitter, and a check that a file is text at all before it is read
// as such (a gzip, UTF-16 or binary file is named, not shown as raw bytes in a column name).
import { FileFormatError } from './columns.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/**
 * The value of a trimmed number field: decimal and exponent forms only ('12', '-1.5e-3', '.5'),
 * and nan / inf / infinity (any case, signed) so that validation can name them. Anything else,
 * including the 0x / 0b / 0o forms JavaScript's Number() reads, is undefined (not a number).
 */
export function parseNumberText(t: string): number | undefined {
  if (DECIMAL.test(t)) return Number(t);
  const m = SPECIAL.exec(t);
  if (!m) return undefined;
  return m[2].toLowerCase() === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
}

/** Why a field is not a number, for error messages. */
export function notANumber(t: string): string {
  return /^[+-]?0[xXbBoO]/.test(t) ? `'${t}' is not a number (hexadecimal, binary and octal forms are not read: decimal or exponent form expected)` : `'${t}' is not a number`;
}

/** Splits one CSV line into fields (RFC 4180 quotes: "a,b" is one field, "" inside is a quote). */
export function splitCsvLine(line: string, d = ','): string[] {
  if (!line.includes('"')) return line.split(d);
  const out: string[] = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === d) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  if (q) throw new Error('unterminated quoted field');
  out.push(cur);
  return out;
}

/**
 * What a file's first bytes say it is, when it is not UTF-8 text: gzip, bzip2, xz, zip, UTF-16,
 * or binary (a NUL byte: Parquet, ROOT, ...). Undefined for text.
 */
export function binaryKind(head: Uint8Array): string | undefined {
  const b = (i: number) => head[i];
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip-compressed (decompress it first, e.g. gunzip)';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68 && b(4) === 0x31 && b(5) === 0x41) return 'bzip2-compressed (decompress it first)';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58) return 'xz-compressed (decompress it first)';
  if (b(0) === 0x50 && b(1) === 0x4b && b(2) === 3 && b(3) === 4) return 'a zip archive (extract it first)';
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) return 'UTF-16 text (save it as UTF-8)';
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) return i % 2 === 1 && n > 2 && head[1] === 0 ? 'UTF-16 text without a byte-order mark (save it as UTF-8)' : 'binary, not text';
  }
  return undefined;
}

/** Throws a FileFormatError naming the file when its first bytes are not text. */
export function checkText(head: Uint8Array, source: string, what = 'a text file'): void {
  const k = binaryKind(head);
  if (k) throw new FileFormatError(source, `expected ${what}, but the file is ${k}`);
}

/** An I/O error with the path in it (Node's EISDIR, e.g., names none). */
export function ioError(path: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EISDIR') return new FileFormatError(path, 'is a directory, not a file');
  if (err?.code === 'ENOENT') return new FileFormatError(path, 'no such file');
  if (err?.code === 'EACCES') return new FileFormatError(path, 'permission denied');
  if (err instanceof FileFormatError) return err;
  const msg = err?.message ?? String(e);
  return new Error(msg.includes(path) ? msg : `${path}: ${msg}`);
}

/** A file's bytes, with the path in every error. */
export async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); // a view, not a copy
  } catch (e) {
    throw ioError(path, e);
  }
}

/** A text file as a string: errors name the path; gzip / UTF-16 / binary content is named as such. */
export async function readText(path: string, what?: string): Promise<string> {
  const bytes = await readBytes(path);
  checkText(bytes.subarray(0, 4096), path, what);
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * JSON.parse whose syntax error says where: `invalid JSON at line L column C: reason`, with
 * `(truncated?)` when the text ends before the JSON does (V8 gives only a character position).
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = / at position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : /end of JSON input/.test(msg) ? text.length : undefined;
    if (at === undefined) throw new SyntaxError(`invalid JSON: ${msg}`);
    const before = text.slice(0, at);
    const line = before.split('\n').length, column = at - before.lastIndexOf('\n');
    const reason = msg.replace(/ (in JSON )?at position \d+.*$/, '');
    throw new SyntaxError(`invalid JSON${at >= text.length ? ' (truncated?)' : ''} at line ${line} column ${column}: ${reason}`);
  }
}
