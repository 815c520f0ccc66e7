// CSV events: a header of column names, then one numeric row per event. Lines starting with '#'
// are comments; '# key: value' comment lines before the header are metadata (darkscan writes the
// seed, process and luminosity there, with JSON values). Errors name the line (1-based).
import { FileFormatError, selectColumns, type ColumnMapping, type ColumnTable, type NumericColumn } from './columns.js';
import { notANumber, parseNumberText, readText, splitCsvLine as splitLine } from './text.js';

export interface CsvReadOptions {
  readonly columns?: ColumnMapping;
  /** Field separator (default ','). */
  readonly delimiter?: string;
  readonly source?: string;
}

export function parseCsv(text: string, o: CsvReadOptions = {}): ColumnTable {
  const source = o.source ?? 'csv';
  const d = o.delimiter ?? ',';
  const lines = text.split(/\r?\n/);
  const meta: Record<string, unknown> = {};
  let li = 0;
  for (; li < lines.length; li++) {
    const s = lines[li].trim();
    if (s === '') continue;
    if (!s.startsWith('#')) break;
    const m = /^#\s*([A-Za-z_][\w.-]*)\s*:\s*(.*)$/.exec(s);
    if (m) {
      try { meta[m[1]] = JSON.parse(m[2]); } catch { meta[m[1]] = m[2]; }
    }
  }
  if (li >= lines.length) throw new FileFormatError(source, 'no header line (empty file?)');
  let header: string[];
  try {
    header = splitLine(lines[li], d).map((h) => h.trim());
  } catch (e) {
    throw new FileFormatError(source, `line ${li + 1}: ${(e as Error).message}`);
  }
  header.forEach((h, j) => {
    if (h === '') throw new FileFormatError(source, `line ${li + 1}: header field ${j + 1} is empty`);
    if (header.indexOf(h) !== j) throw new FileFormatError(source, `line ${li + 1}: column '${h}' appears twice in the header`);
  });
  const vals: number[][] = header.map(() => []);
  let rows = 0;
  for (let k = li + 1; k < lines.length; k++) {
    const raw = lines[k];
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) continue;
    let f: string[];
    try {
      f = splitLine(raw, d);
    } catch (e) {
      throw new FileFormatError(source, `line ${k + 1}: ${(e as Error).message}`);
    }
    if (f.length !== header.length) {
      const last = k === lines.length - 1 || lines.slice(k + 1).every((x) => x.trim() === '');
      throw new FileFormatError(source, `line ${k + 1}: ${f.length} fields, the header has ${header.length}${last && f.length < header.length ? ' (truncated file?)' : ''}`);
    }
    for (let j = 0; j < f.length; j++) {
      const t = f[j].trim();
      const v = parseNumberText(t);
      if (v === undefined) throw new FileFormatError(source, `line ${k + 1}, column '${header[j]}': ${t === '' ? 'empty field' : notANumber(t)}`);
      vals[j].push(v);
    }
    rows++;
  }
  const all: Record<string, NumericColumn> = {};
  header.forEach((h, j) => (all[h] = Float64Array.from(vals[j])));
  return { length: rows, columns: selectColumns(source, all, o.columns), meta, source };
}

export async function readCsv(path: string, o: Omit<CsvReadOptions, 'source'> = {}): Promise<ColumnTable> {
  return parseCsv(await readText(path, 'a CSV text file'), { ...o, source: path });
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
