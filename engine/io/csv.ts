// CSV events: a header of column names, then one numeric row per event. Lines starting with '#'
// are comments; '# key: value' comment lines before the header are metadata (darkscan writes the
// seed, process and luminosity there, with JSON values). Errors name the line (1-based).
import { FileFormatError, selectColumns, type ColumnMapping, type ColumnTable, type NumericColumn } from './columns.js';
import { asBytes, CsvRows, expectedRows } from './csvbytes.js';
import { checkText, notANumber, parseNumberText, readBytes, splitCsvLine as splitLine } from './text.js';

export interface CsvReadOptions {
  readonly columns?: ColumnMapping;
  /** Field separator (default ','). */
  readonly delimiter?: string;
  readonly source?: string;
}

export function parseCsv(text: string | Uint8Array, o: CsvReadOptions = {}): ColumnTable {
  const source = o.source ?? 'csv';
  const d = o.delimiter ?? ',';
  const b = asBytes(text);
  const meta: Record<string, unknown> = {};
  let header: string[] | undefined;
  // Lines the byte fast path (csvbytes.ts) leaves: metadata, header, blanks, comments, odd fields.
  const slow = (raw: string, lineNo: number, next: number): number[] | undefined => {
    const s = raw.trim();
    if (!header) {
      if (s === '') return undefined;
      if (s.startsWith('#')) {
        const m = /^#\s*([A-Za-z_][\w.-]*)\s*:\s*(.*)$/.exec(s);
        if (m) {
          try { meta[m[1]] = JSON.parse(m[2]); } catch { meta[m[1]] = m[2]; }
        }
        return undefined;
      }
      let h: string[];
      try {
        h = splitLine(raw, d).map((x) => x.trim());
      } catch (e) {
        throw new FileFormatError(source, `line ${lineNo}: ${(e as Error).message}`);
      }
      h.forEach((name, j) => {
        if (name === '') throw new FileFormatError(source, `line ${lineNo}: header field ${j + 1} is empty`);
        if (h.indexOf(name) !== j) throw new FileFormatError(source, `line ${lineNo}: column '${name}' appears twice in the header`);
      });
      header = h;
      rows.header(h.length, h.map((_, j) => j));
      return undefined;
    }
    if (s === '' || s.startsWith('#')) return undefined;
    let f: string[];
    try {
      f = splitLine(raw, d);
    } catch (e) {
      throw new FileFormatError(source, `line ${lineNo}: ${(e as Error).message}`);
    }
    if (f.length !== header.length) {
      const last = new TextDecoder().decode(b.subarray(next)).trim() === '';
      throw new FileFormatError(source, `line ${lineNo}: ${f.length} fields, the header has ${header.length}${last && f.length < header.length ? ' (truncated file?)' : ''}`);
    }
    const hd = header;
    return f.map((t0, j) => {
      const t = t0.trim();
      const v = parseNumberText(t);
      if (v === undefined) throw new FileFormatError(source, `line ${lineNo}, column '${hd[j]}': ${t === '' ? 'empty field' : notANumber(t)}`);
      return v;
    });
  };
  const rows = new CsvRows(slow, d, expectedRows(b), true);
  rows.lines(b, 0, b.length, true);
  if (!header) throw new FileFormatError(source, 'no header line (empty file?)');
  const cols = rows.block();
  const all: Record<string, NumericColumn> = {};
  header.forEach((h, j) => (all[h] = cols[j]));
  return { length: rows.row, columns: selectColumns(source, all, o.columns), meta, source };
}

export async function readCsv(path: string, o: Omit<CsvReadOptions, 'source'> = {}): Promise<ColumnTable> {
  return parseCsv(await readCsvBytes(path), { ...o, source: path });
}

/** A CSV file's bytes: errors name the path; gzip / UTF-16 / binary content is named as such. */
export async function readCsvBytes(path: string): Promise<Uint8Array> {
  const b = await readBytes(path);
  checkText(b.subarray(0, 4096), path, 'a CSV text file');
  return b;
}

/** Shortest text that reads back to the same number (f32 columns: the f32 value's shortest form). */
function fmt(v: number, f32: boolean): string {
  if (Number.isNaN(v)) return 'nan';
  if (!f32) return String(v);
  // shortest decimal that rounds back to the same float32
  for (let p = 6; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** CSV text: '# key: <json>' metadata lines, the header, then the rows. */
export function toCsv(columns: Readonly<Record<string, ArrayLike<number>>>, meta: Readonly<Record<string, unknown>> = {}): string {
  const names = Object.keys(columns);
  for (const n of names) if (/[,"\n\r#]/.test(n) || n.trim() !== n || n === '') throw new Error(`CSV writer: column name '${n}' would not read back`);
  const n = names.length ? columns[names[0]].length : 0;
  for (const c of names) if (columns[c].length !== n) throw new Error(`CSV writer: column '${c}' has ${columns[c].length} rows, '${names[0]}' has ${n}`);
  const out: string[] = [];
  for (const [k, v] of Object.entries(meta)) {
    if (!/^[A-Za-z_][\w.-]*$/.test(k)) throw new Error(`CSV writer: metadata key '${k}' is not a plain name`);
    out.push(`# ${k}: ${JSON.stringify(v)}`);
  }
  out.push(names.join(','));
  const isF32 = names.map((c) => columns[c] instanceof Float32Array);
  for (let i = 0; i < n; i++) out.push(names.map((c, j) => fmt(columns[c][i], isF32[j])).join(','));
  return out.join('\n') + '\n';
}
