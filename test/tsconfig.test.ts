// `npm test` type-checks every TypeScript folder that ships (tsc -p tsconfig.json): each top-level
// folder holding .ts files is in tsconfig.json's include, except wasm/ (AssemblyScript, checked by
// asc in build.mjs), and every include exists.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const tsconfig = JSON.parse(readFileSync(new URL('tsconfig.json', root), 'utf8')) as { include: string[]; exclude: string[] };

function hasTs(dir: URL): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? e.name !== 'node_modules' && hasTs(new URL(`${e.name}/`, dir)) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'),
  );
}

describe('tsconfig.json', () => {
  it('includes every top-level folder with TypeScript (wasm/ is AssemblyScript)', () => {
    const skip = new Set(['node_modules', 'dist', 'wasm', '.git']);
    const dirs = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !skip.has(e.name) && !e.name.startsWith('.'));
    const ts = dirs.filter((e) => hasTs(new URL(`${e.name}/`, root))).map((e) => e.name);
    expect(ts).toContain('web');
    expect(ts.filter((d) => !tsconfig.include.includes(d))).toEqual([]);
    expect(tsconfig.exclude).toContain('wasm');
  });
  it('includes nothing that does not exist', () => {
    expect(tsconfig.include.filter((p) => !existsSync(new URL(p, root)))).toEqual([]);
  });
});
