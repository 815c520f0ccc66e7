// RFC 6902 JSON Patch with RFC 6901 pointers, applied as python-jsonpatch 1.32/1.33 does (the
// library pyhf's PatchSet uses): on a deep copy, `-` appends, `test` uses Python equality
// (1 == 1.0 == True), `move` into its own child is refused. Float marks (pyjson.ts) travel with
// the values so the patched workspace's digest equals pyhf's.
import { cloneJson, isPyFloat, markFloat } from './pyjson.js';

/** A patch that cannot be applied, naming the operation and the JSON pointer. */
export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; path: string; from: string };

type Json = unknown;
type Obj = Record<string, Json>;

/** RFC 6901: '' is the whole document; '/a/0/b~1c' -> ['a', '0', 'b/c']. */
export function parsePointer(ptr: string, where: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw new JsonPatchError(`${where}: JSON pointer '${ptr}' must start with '/'`);
  return ptr
    .slice(1)
    .split('/')
    .map((p) => {
      if (/~(?![01])/.test(p)) throw new JsonPatchError(`${where}: JSON pointer '${ptr}' has a bad escape ('~' must be '~0' or '~1')`);
      return p.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

const isObj = (x: Json): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

// python-jsonpointer (2.3) tests an index with re.match('0|[1-9][0-9]*$'), anchored at the start
// only, then int(): any run of digits passes, '01' being index 1 (RFC 6901 would refuse it).
function arrayIndex(part: string, ptr: string, where: string): number {
  if (!/^[0-9]+$/.test(part)) throw new JsonPatchError(`${where}: '${part}' in '${ptr}' is not a valid array index`);
  return Number(part);
}

/** Walks to the parent of the pointer's last token. */
function parentOf(doc: Json, parts: string[], ptr: string, where: string): Json {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const k = arrayIndex(p, ptr, where);
      if (k >= cur.length) throw new JsonPatchError(`${where}: index ${k} in '${ptr}' is out of bounds (array of ${cur.length})`);
      cur = cur[k];
    } else if (isObj(cur)) {
      if (!hasOwn(cur, p)) throw new JsonPatchError(`${where}: member '${p}' of '${ptr}' not found`);
      cur = cur[p];
    } else throw new JsonPatchError(`${where}: '${ptr}' goes through a ${cur === null ? 'null' : typeof cur}, which cannot be indexed`);
  }
  return cur;
}

function resolve(doc: Json, ptr: string, where: string): { value: Json; parent?: object; key?: string | number } {
  const parts = parsePointer(ptr, where);
  if (!parts.length) return { value: doc };
  const parent = parentOf(doc, parts, ptr, where);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const k = arrayIndex(last, ptr, where);
    if (k >= parent.length) throw new JsonPatchError(`${where}: index ${k} in '${ptr}' is out of bounds (array of ${parent.length})`);
    return { value: parent[k], parent, key: k };
  }
  if (isObj(parent)) {
    if (!hasOwn(parent, last)) throw new JsonPatchError(`${where}: member '${last}' of '${ptr}' not found`);
    return { value: parent[last], parent, key: last };
  }
  throw new JsonPatchError(`${where}: '${ptr}' goes through a ${parent === null ? 'null' : typeof parent}, which cannot be indexed`);
}

/** Python `==` on JSON values: numbers and booleans compare by value (True == 1), containers deeply. */
export function pyEqual(a: Json, b: Json): boolean {
  const num = (x: Json) => (typeof x === 'boolean' ? Number(x) : x);
  if ((typeof a === 'number' || typeof a === 'boolean') && (typeof b === 'number' || typeof b === 'boolean')) return num(a) === num(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, k) => pyEqual(x, b[k]));
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && pyEqual(a[k], b[k]));
  }
  return a === b;
}

// A value placed into `container[key]`, carrying its float mark from where it came.
interface Placed {
  value: Json;
  isFloat: boolean;
}

function setAt(container: object, key: string | number, p: Placed): void {
  markFloat(container, key, p.isFloat);
}

function add(doc: Json, ptr: string, p: Placed, where: string): Json {
  const parts = parsePointer(ptr, where);
  if (!parts.length) return p.value;
  const parent = parentOf(doc, parts, ptr, where);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const k = last === '-' ? parent.length : arrayIndex(last, ptr, where);
    if (k > parent.length) throw new JsonPatchError(`${where}: cannot insert at index ${k} of an array of ${parent.length} ('${ptr}')`);
    // Shift the float marks of the elements after the insertion point.
    const marks = parent.map((_, j) => isPyFloat(parent, j));
    parent.splice(k, 0, p.value);
    marks.splice(k, 0, p.isFloat);
    marks.forEach((f, j) => markFloat(parent, j, f));
  } else if (isObj(parent)) {
    Object.defineProperty(parent, last, { value: p.value, enumerable: true, writable: true, configurable: true });
    setAt(parent, last, p);
  } else throw new JsonPatchError(`${where}: cannot add into a ${parent === null ? 'null' : typeof parent} ('${ptr}')`);
  return doc;
}

function remove(doc: Json, ptr: string, where: string): { doc: Json; removed: Placed } {
  const r = resolve(doc, ptr, where);
  if (r.parent === undefined) throw new JsonPatchError(`${where}: cannot remove the whole document`);
  const removed = { value: r.value, isFloat: isPyFloat(r.parent, r.key!) };
  if (Array.isArray(r.parent)) {
    const arr = r.parent;
    const marks = arr.map((_, j) => isPyFloat(arr, j));
    arr.splice(r.key as number, 1);
    marks.splice(r.key as number, 1);
    markFloat(arr, arr.length, false);
    marks.forEach((f, j) => markFloat(arr, j, f));
  } else {
    delete (r.parent as Obj)[r.key as string];
    markFloat(r.parent, r.key!, false);
  }
  return { doc, removed };
}

/** Checks the shape of one operation (as python-jsonpatch's InvalidJsonPatch). */
export function checkPatchOp(op: unknown, where: string): JsonPatchOp {
  if (!isObj(op)) throw new JsonPatchError(`${where}: an operation must be an object`);
  if (typeof op.op !== 'string') throw new JsonPatchError(`${where}.op: missing or not a string`);
  if (typeof op.path !== 'string') throw new JsonPatchError(`${where}.path: missing or not a string`);
  parsePointer(op.path, `${where}.path`);
  switch (op.op) {
    case 'add':
    case 'replace':
    case 'test':
      if (!hasOwn(op, 'value')) throw new JsonPatchError(`${where}: '${op.op}' needs a 'value'`);
      break;
    case 'remove':
      break;
    case 'move':
    case 'copy':
      if (typeof op.from !== 'string') throw new JsonPatchError(`${where}.from: '${op.op}' needs a 'from' pointer (string)`);
      parsePointer(op.from, `${where}.from`);
      break;
    default:
      throw new JsonPatchError(`${where}.op: unknown operation '${op.op}' (add, remove, replace, test, move, copy)`);
  }
  return op as JsonPatchOp;
}

/**
 * Applies the operations in order to a deep copy of `doc` (jsonpatch.apply_patch(doc, ops)).
 * `where` names the patch in errors, e.g. `patches[3].patch`.
 */
export function applyJsonPatch(doc: Json, ops: readonly unknown[], where = 'patch'): Json {
  let out = cloneJson(doc);
  ops.forEach((raw, n) => {
    const w = `${where}[${n}]`;
    const op = checkPatchOp(raw, w);
    const valueOf = (): Placed => ({ value: cloneJson((op as { value: Json }).value), isFloat: isPyFloat(op, 'value') });
    switch (op.op) {
      case 'add':
        out = add(out, op.path, valueOf(), w);
        break;
      case 'remove':
        out = remove(out, op.path, w).doc;
        break;
      case 'replace': {
        const parts = parsePointer(op.path, w);
        if (!parts.length) {
          out = valueOf().value;
          break;
        }
        const r = resolve(out, op.path, `${w} (replace of a non-existent value)`);
        if (Array.isArray(r.parent)) r.parent[r.key as number] = valueOf().value;
        else Object.defineProperty(r.parent!, r.key as string, { value: valueOf().value, enumerable: true, writable: true, configurable: true });
        setAt(r.parent!, r.key!, valueOf());
        break;
      }
      case 'test': {
        let got: Json;
        try {
          got = resolve(out, op.path, w).value;
        } catch (e) {
          throw new JsonPatchError(`${w}: test failed: ${(e as Error).message}`);
        }
        if (!pyEqual(got, op.value)) throw new JsonPatchError(`${w}: test failed: '${op.path}' is ${JSON.stringify(got)}, not ${JSON.stringify(op.value)}`);
        break;
      }
      case 'move': {
        if (op.from === '') throw new JsonPatchError(`${w}.from: cannot move the whole document (python-jsonpatch refuses it)`);
        if (op.from === op.path) break;
        const fromParts = parsePointer(op.from, w);
        const toParts = parsePointer(op.path, w);
        const src = resolve(out, op.from, `${w}.from`);
        if (src.parent !== undefined && !Array.isArray(src.parent) && toParts.length > fromParts.length && fromParts.every((p, k) => toParts[k] === p))
          throw new JsonPatchError(`${w}: cannot move '${op.from}' into its own child '${op.path}'`);
        const { removed } = remove(out, op.from, `${w}.from`);
        out = add(out, op.path, removed, w);
        break;
      }
      case 'copy': {
        if (op.from === '') throw new JsonPatchError(`${w}.from: cannot copy the whole document (python-jsonpatch refuses it)`);
        const src = resolve(out, op.from, `${w}.from`);
        out = add(out, op.path, { value: cloneJson(src.value), isFloat: src.parent !== undefined && isPyFloat(src.parent, src.key!) }, w);
        break;
      }
    }
  });
  return out;
}
