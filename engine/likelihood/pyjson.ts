// JSON as Python's `json` module sees it, so workspace digests equal pyhf.utils.digest:
// sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode("utf8")) (pyhf/utils.py).
// Python keeps `1` (int) and `1.0` (float) apart and prints them differently; JSON.parse does not.
// `parsePyJson` therefore records which integral-valued numbers were written as floats (`1.0`,
// `1e3`) in a side table keyed by (container, key); `pyJsonDumps` prints them back as Python does,
// and `cloneJson` / the JSON-patch code carry the marks along. Trees from plain JSON.parse work too
// (every integral number is then an int, as Python would read such a file).

/** A JSON syntax error, with the source and line:column. */
export class JsonSyntaxError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'JsonSyntaxError';
  }
}

type Container = object;
const floatMarks = new WeakMap<Container, Set<string>>();

/** Marks `container[key]` (an integral number) as a Python float (printed `1.0`). */
export function markFloat(container: Container, key: string | number, isFloat = true): void {
  let s = floatMarks.get(container);
  if (!isFloat) {
    s?.delete(String(key));
    return;
  }
  if (!s) floatMarks.set(container, (s = new Set()));
  s.add(String(key));
}

/** Whether `container[key]` holds a number Python would read as a float. */
export function isPyFloat(container: Container, key: string | number): boolean {
  const v = (container as Record<string, unknown>)[key as string];
  if (typeof v !== 'number') return false;
  return !Number.isInteger(v) || floatMarks.get(container)?.has(String(key)) === true;
}

/** Parses JSON text (RFC 8259, as Python's json.loads minus NaN/Infinity) keeping float marks. */
export function parsePyJson(text: string, source = '<json>'): unknown {
  let i = 0;
  const fail = (msg: string): never => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const col = i - before.lastIndexOf('\n');
    throw new JsonSyntaxError(source, `invalid JSON at line ${line} column ${col}: ${msg}`);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const numRe = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  // Returns [value, isFloatLexeme].
  const value = (): [unknown, boolean] => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') return i++, [o, false];
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        const [v, f] = value();
        // Python's dict keeps the last duplicate, as JSON.parse does.
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        markFloat(o, k, f && Number.isInteger(v));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, [o, false];
        else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') return i++, [a, false];
      for (;;) {
        const [v, f] = value();
        if (f && Number.isInteger(v)) markFloat(a, a.length);
        a.push(v);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, [a, false];
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return [str(), false];
    if (text.startsWith('true', i)) return (i += 4), [true, false];
    if (text.startsWith('false', i)) return (i += 5), [false, false];
    if (text.startsWith('null', i)) return (i += 4), [null, false];
    numRe.lastIndex = i;
    const m = numRe.exec(text);
    if (!m) return fail(i >= text.length ? 'unexpected end of input (truncated?)' : `unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    return [Number(m[0]), m[1] !== undefined || m[2] !== undefined];
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      i += c === 0x5c ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch (e) {
      i = start;
      return fail(`bad string: ${(e as Error).message}`);
    }
  };
  const [v] = value();
  ws();
  if (i < text.length) fail('trailing characters after the JSON value');
  return v;
}

/** A deep copy of a JSON tree that keeps the float marks (Python's copy.deepcopy). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) {
    const a = v.map((x) => cloneJson(x));
    for (let k = 0; k < v.length; k++) if (isPyFloat(v, k)) markFloat(a, k);
    return a as T;
  }
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(o, k, { value: cloneJson(x), enumerable: true, writable: true, configurable: true });
      if (isPyFloat(v, k)) markFloat(o, k);
    }
    return o as T;
  }
  return v;
}

/** Python's float repr (shortest round trip; exponent form when exp < -4 or >= 16). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expS] = x.toExponential().split('e'); // shortest digits, as repr
  const e = Number(expS);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

const byCodePoint = (a: string, b: string): number => {
  // Python sorts str by code point; JS's default sort compares UTF-16 units (differs above U+FFFF).
  const ca = Array.from(a, (c) => c.codePointAt(0)!);
  const cb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let k = 0; k < Math.min(ca.length, cb.length); k++) if (ca[k] !== cb[k]) return ca[k] - cb[k];
  return ca.length - cb.length;
};

/** json.dumps(v, sort_keys=True, ensure_ascii=False) with Python's default separators. */
export function pyJsonDumps(v: unknown): string {
  const out: string[] = [];
  const num = (c: Container, k: string | number, x: number) => {
    if (isPyFloat(c, k)) out.push(pyFloatRepr(x));
    else out.push(Number.isSafeInteger(x) ? String(x) : BigInt(x).toString());
  };
  const walk = (x: unknown, c?: Container, k?: string | number): void => {
    if (x === null) out.push('null');
    else if (x === true) out.push('true');
    else if (x === false) out.push('false');
    else if (typeof x === 'number') {
      if (c === undefined) out.push(Number.isInteger(x) ? String(x) : pyFloatRepr(x));
      else num(c, k!, x);
    } else if (typeof x === 'string') out.push(JSON.stringify(x));
    else if (Array.isArray(x)) {
      out.push('[');
      x.forEach((y, j) => {
        if (j) out.push(', ');
        walk(y, x, j);
      });
      out.push(']');
    } else if (typeof x === 'object') {
      out.push('{');
      Object.keys(x)
        .sort(byCodePoint)
        .forEach((key, j) => {
          if (j) out.push(', ');
          out.push(JSON.stringify(key), ': ');
          walk((x as Record<string, unknown>)[key], x, key);
        });
      out.push('}');
    } else throw new TypeError(`not JSON-serializable: ${typeof x}`);
  };
  walk(v);
  return out.join('');
}
