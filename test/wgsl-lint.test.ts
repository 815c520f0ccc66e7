// Tint emits no NoContraction, so a GPU driver may fuse `a * b + c` into one FMA and round once
// where the TypeScript reference rounds twice. The rule: every f32 product in a kernel's WGSL is
// wrapped in opaque() (a xor with a zero the compiler cannot see), or sits inside an array index,
// or has an integer-literal operand or a power-of-two literal one (exact: fused or not, the same
// result), or stands on a line marked `// u32` (integer arithmetic).
// SwiftShader does not fuse, so the conformance suite cannot see a violation: this lint does.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const INT_LITERAL = /^(0x[0-9a-fA-F]+u|\d+u|\d+i)$/;
const POW2_LITERAL = /^(0\.25|0\.5|2\.0|4\.0|2|4)$/;

function protectedAt(line: string, i: number): boolean {
  let depth = 0;
  for (let j = i; j >= 0; j--) {
    const c = line[j];
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth > 0) depth--;
      else if (c === '[') return true;
      else if (/opaque\s*$/.test(line.slice(0, j))) return true;
    }
  }
  return false;
}

/** Lines with an f32 product not wrapped in opaque(), as "line: text". */
export function unprotectedProducts(source: string): string[] {
  const bad: string[] = [];
  source.split('\n').forEach((raw, k) => {
    if (/\/\/\s*u32\s*$/.test(raw)) return;
    const line = raw.replace(/\/\/.*$/, '');
    for (const m of line.matchAll(/(?<![*/])\*(?![*=])/g)) {
      const i = m.index!;
      const left = /([A-Za-z_0-9.]+|\)|\])\s*$/.exec(line.slice(0, i))?.[1] ?? '';
      const right = /^\s*([A-Za-z_0-9.]+|\()/.exec(line.slice(i + 1))?.[1] ?? '';
      if (left === '') continue; // no left operand: a pointer dereference (*p), not a product
      if (INT_LITERAL.test(left) || INT_LITERAL.test(right) || POW2_LITERAL.test(left) || POW2_LITERAL.test(right) || protectedAt(line, i)) continue;
      bad.push(`${k + 1}: ${raw.trim()}`);
    }
  });
  return bad;
}

function wgslFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? wgslFiles(join(dir, e.name)) : e.name.endsWith('.wgsl') ? [join(dir, e.name)] : [],
  );
}

describe('WGSL: no product a driver could fuse into an FMA', () => {
  const root = join(import.meta.dirname, '..', 'kernels');
  // Philox is integer-only (u32 limb products).
  for (const f of wgslFiles(root).filter((f) => !f.endsWith('philox_lib.wgsl'))) {
    it(f.slice(root.length + 1), () => {
      expect(unprotectedProducts(readFileSync(f, 'utf8'))).toEqual([]);
    });
  }
  it('the lint flags what it should and passes what it should', () => {
    expect(unprotectedProducts('let y = a * b + c;')).toHaveLength(1);
    expect(unprotectedProducts('let y = x * y;\nlet z = y + 1.0;')).toHaveLength(1);
    expect(unprotectedProducts('let y = opaque(a * b) + c;')).toEqual([]);
    expect(unprotectedProducts('let y = opaque(f(a) * (b - c)) + d;')).toEqual([]);
    expect(unprotectedProducts('out[4u * l + 1u] = v;')).toEqual([]);
    expect(unprotectedProducts('let i = w * n + k; // u32')).toEqual([]);
    expect(unprotectedProducts('let y = a * b; // a comment * here')).toHaveLength(1);
    expect(unprotectedProducts('let h = 0.5 * x;')).toEqual([]);
    expect(unprotectedProducts('let h = (2.0 * n) * g;')).toHaveLength(1);
    expect(unprotectedProducts('let v = (*t)[p] - a;')).toEqual([]);
    expect(unprotectedProducts('let v = (*t)[p] * a;')).toHaveLength(1);
    expect(unprotectedProducts('let v = in_x[l] * y + c;')).toHaveLength(1);
  });
});
