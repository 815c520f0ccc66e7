// ROOT TTrees through jsroot (the ROOT team's JavaScript I/O): Belle II ntuples are ROOT files.
// Reads flat numeric branches (one value per entry) into float64 columns. Compression: zlib,
// lz4, lzma and zstd all decode (tested on ROOT-written files in every one). Before jsroot sees a
// file, the header is checked (magic 'root', fEND against the file size), so a truncated file is
// reported as such instead of surfacing as a jsroot decode failure.
import { FileFormatError, neededColumns, selectColumns, type ColumnMapping, type ColumnTable, type NumericColumn } from './columns.js';

export interface RootReadOptions {
  /** TTree name (default: the only TTree in the file, else an error listing them). */
  readonly tree?: string;
  readonly columns?: ColumnMapping;
  readonly source?: string;
}

function toArrayBuffer(b: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** ROOT file header (TFile::ReadHeader): "root", version (i32), fBEGIN (i32), fEND (i32, or i64 when version >= 1000000). */
export function rootHeader(file: ArrayBuffer, source: string): { version: number; end: number } {
  const dv = new DataView(file);
  if (file.byteLength < 4 || String.fromCharCode(dv.getUint8(0), dv.getUint8(1), dv.getUint8(2), dv.getUint8(3)) !== 'root') {
    throw new FileFormatError(source, `not a ROOT file (no 'root' magic; ${file.byteLength} bytes)`);
  }
  if (file.byteLength < 64) throw new FileFormatError(source, `truncated ROOT file: ${file.byteLength} bytes, shorter than the file header`);
  const version = dv.getInt32(4);
  const end = version >= 1000000 ? Number(dv.getBigInt64(12)) : dv.getInt32(12);
  if (end > file.byteLength) throw new FileFormatError(source, `truncated ROOT file: the header says ${end} bytes, the file has ${file.byteLength}`);
  return { version, end };
}

/** Runs f with console.error captured (jsroot reports decode failures there and returns null). */
async function capturingErrors<T>(f: () => Promise<T>): Promise<{ value?: T; error?: unknown; logged: string[] }> {
  const logged: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void logged.push(a.map(String).join(' '));
  try {
    return { value: await f(), logged };
  } catch (error) {
    return { error, logged };
  } finally {
    console.error = orig;
  }
}

interface JsrootTree {
  _typename: string;
  fEntries: number;
  fBranches: { arr: { fName: string; fLeaves?: { arr: { fLen?: number; fLeafCount?: unknown; _typename: string }[] } }[] };
}

export async function parseRoot(bytes: ArrayBuffer | Uint8Array, o: RootReadOptions = {}): Promise<ColumnTable> {
  const source = o.source ?? 'root';
  const file = toArrayBuffer(bytes);
  rootHeader(file, source);
  // jsroot is an optional dependency (its canvas dependency builds native code at install time).
  const [{ openFile }, { TSelector, treeProcess }] = await Promise.all([import('jsroot/io'), import('jsroot/tree')]).catch((e: Error) => {
    throw new FileFormatError(source, `reading ROOT files needs jsroot, an optional dependency of darkscan that is not installed (npm install jsroot): ${e.message}`);
  });
  const opened = await capturingErrors(() => openFile(file));
  if (!opened.value) throw new FileFormatError(source, `jsroot could not open the file: ${String((opened.error as Error)?.message ?? opened.error ?? opened.logged.join('; '))}`);
  const f = opened.value as { fKeys: { fClassName: string; fName: string }[]; readObject(n: string): Promise<unknown> };
  const trees = f.fKeys.filter((k) => k.fClassName === 'TTree' || k.fClassName === 'TNtuple' || k.fClassName === 'TNtupleD').map((k) => k.fName);
  const uniq = [...new Set(trees)];
  const name = o.tree ?? (uniq.length === 1 ? uniq[0] : undefined);
  if (!name) throw new FileFormatError(source, uniq.length ? `several TTrees (${uniq.join(', ')}): choose one with the tree option` : 'no TTree in the file');
  if (!uniq.includes(name)) throw new FileFormatError(source, `no TTree '${name}' (trees: ${uniq.join(', ') || 'none'})`);
  const got = await capturingErrors(() => f.readObject(name) as Promise<JsrootTree>);
  if (!got.value) throw new FileFormatError(source, `cannot read TTree '${name}': ${String((got.error as Error)?.message ?? got.error ?? got.logged.join('; '))}`);
  const tree = got.value;
  const branches = tree.fBranches.arr;
  const flat = branches.filter((b) => {
    const leaves = b.fLeaves?.arr ?? [];
    return leaves.length === 1 && (leaves[0].fLen ?? 1) === 1 && !leaves[0].fLeafCount && leaves[0]._typename !== 'TLeafC' && leaves[0]._typename !== 'TLeafElement';
  }).map((b) => b.fName);
  const all = branches.map((b) => b.fName);
  const want = neededColumns(o.columns) ?? flat;
  for (const w of want) {
    if (!all.includes(w)) throw new FileFormatError(source, `branch '${w}' not found in TTree '${name}'; branches: ${all.join(', ')}`);
    if (!flat.includes(w)) throw new FileFormatError(source, `branch '${w}' is not a flat numeric branch (arrays, strings and objects are not read)`);
  }
  const n = tree.fEntries;
  const cols: Record<string, NumericColumn> = {};
  for (const w of want) cols[w] = new Float64Array(n);
  const sel = new TSelector();
  for (const w of want) sel.addBranch(w);
  let row = 0, bad = '';
  sel.Process = function (this: { tgtobj: Record<string, unknown> }) {
    for (const w of want) {
      const v = this.tgtobj[w];
      if (typeof v === 'number') cols[w][row] = v;
      else if (typeof v === 'bigint') cols[w][row] = Number(v);
      else if (typeof v === 'boolean') cols[w][row] = +v;
      else if (!bad) bad = `branch '${w}', entry ${row}: not a number (${typeof v})`;
    }
    row++;
  };
  const done = await capturingErrors(() => treeProcess(tree as never, sel));
  if (bad) throw new FileFormatError(source, bad);
  if (done.error || row !== n) {
    const why = done.error ? String((done.error as Error).message ?? done.error) : done.logged.join('; ') || 'decoding stopped early';
    throw new FileFormatError(source, `TTree '${name}': read ${row} of ${n} entries (corrupt, truncated or undecodable baskets: ${why})`);
  }
  return { length: n, columns: selectColumns(source, cols, o.columns), meta: { root_tree: name }, source };
}

export async function readRoot(path: string, o: Omit<RootReadOptions, 'source'> = {}): Promise<ColumnTable> {
  const { readBytes } = await import('./text.js');
  return parseRoot(await readBytes(path), { ...o, source: path });
}
