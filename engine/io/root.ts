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

type JsrootBranch = JsrootTree['fBranches']['arr'][number];

const LEAF_TYPES: Record<string, string> = {
  TLeafC: 'a string', TLeafElement: 'an object (class) member', TLeafObject: 'an object',
  TLeafD32: 'Double32_t (a reduced-precision float jsroot does not decode here)', TLeafF16: 'Float16_t (a reduced-precision float jsroot does not decode here)',
};

/**
 * Why a branch is not read as one number per entry (undefined when it is): darkscan reads flat
 * numeric branches; jagged (variable-length) and fixed-size arrays, strings, objects and the
 * reduced-precision Double32_t / Float16_t are named, never silently mangled.
 */
export function branchProblem(b: JsrootBranch): string | undefined {
  const leaves = b.fLeaves?.arr ?? [];
  if (leaves.length === 0) return 'a branch without leaves (a split object or a folder of sub-branches)';
  if (leaves.length > 1) return `a branch of ${leaves.length} leaves (a leaf list; read each as its own branch)`;
  const l = leaves[0];
  if (LEAF_TYPES[l._typename]) return LEAF_TYPES[l._typename];
  if (l.fLeafCount) return 'a jagged branch (a variable-length array per entry)';
  if ((l.fLen ?? 1) !== 1) return `a fixed-size array branch (${l.fLen} values per entry)`;
  if (!/^TLeaf[BSILDFOG]$/.test(l._typename)) return `a ${l._typename} leaf`;
  return undefined;
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
  if (!name) throw new FileFormatError(source, uniq.length ? `several TTrees (${uniq.join(', ')}): choose one with the tree option` : 'no TTree at the top level of the file (a tree in a folder is named by its path, e.g. DIR/TREE)');
  // A tree in a folder (TDirectory) is named by its path, DIR/TREE (jsroot's readObject follows it).
  if (!uniq.includes(name) && !name.includes('/')) throw new FileFormatError(source, `no TTree '${name}' (trees: ${uniq.join(', ') || 'none'}); a tree in a folder is named DIR/TREE`);
  const got = await capturingErrors(() => f.readObject(name) as Promise<JsrootTree>);
  if (!got.value) throw new FileFormatError(source, `cannot read TTree '${name}': ${String((got.error as Error)?.message ?? got.error ?? got.logged.join('; '))}`);
  const tree = got.value;
  if (tree._typename !== 'TTree' && tree._typename !== 'TNtuple' && tree._typename !== 'TNtupleD') throw new FileFormatError(source, `'${name}' is a ${tree._typename}, not a TTree`);
  const branches = tree.fBranches.arr;
  const why = new Map(branches.map((b) => [b.fName, branchProblem(b)]));
  // Every supported branch is read; the others are listed in meta.root_skipped_branches (and named if asked for).
  const flat = branches.filter((b) => !why.get(b.fName)).map((b) => b.fName);
  const all = branches.map((b) => b.fName);
  const want = neededColumns(o.columns) ?? flat;
  for (const w of want) {
    if (!all.includes(w)) throw new FileFormatError(source, `branch '${w}' not found in TTree '${name}'; branches: ${all.join(', ')}`);
    if (why.get(w)) throw new FileFormatError(source, `branch '${w}' of TTree '${name}' is ${why.get(w)}: darkscan reads flat numeric branches (one number per entry; readable here: ${flat.join(', ') || 'none'})`);
  }
  const skipped = all.filter((b) => why.get(b) && !want.includes(b));
  const meta = { root_tree: name, ...(skipped.length ? { root_skipped_branches: skipped } : {}) };
  const n = tree.fEntries;
  const cols: Record<string, NumericColumn> = {};
  for (const w of want) cols[w] = new Float64Array(n);
  // An empty tree is zero events (jsroot has no baskets to process).
  if (n === 0) return { length: 0, columns: selectColumns(source, cols, o.columns), meta, source };
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
  return { length: n, columns: selectColumns(source, cols, o.columns), meta, source };
}

export async function readRoot(path: string, o: Omit<RootReadOptions, 'source'> = {}): Promise<ColumnTable> {
  const { readBytes } = await import('./text.js');
  return parseRoot(await readBytes(path), { ...o, source: path });
}
