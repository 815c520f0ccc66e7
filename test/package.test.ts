// The package as a user gets it: `npm pack`, `npm install <tarball>` in an empty folder (one
// install; the npm registry must be reachable), then `npx darkscan demo --quick` and the README's
// "Use from TypeScript" example, type-checked against the packed .d.ts files and run, there.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Asynchronous: a minutes-long synchronous child would block vitest's worker RPC.
const sh = async (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> =>
  (await promisify(execFile)(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;

/** The README's TypeScript example: the ```ts block of the section "Use from TypeScript". */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Use from TypeScript'));
  const code = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README.md: no ```ts block under "## Use from TypeScript"');
  return code;
}

describe('npm pack + npm install <tarball> in an empty folder', () => {
  it('installs; npx darkscan demo --quick and the README example run there', async () => {
    const work = mkdtempSync(join(tmpdir(), 'darkscan-pack-'));
    try {
      // The .d.ts files (prepack writes them too; the test packs without scripts so that it does not
      // rebuild dist/ under the other test files: `npm test` has just built it).
      await sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.types.json'], ROOT);
      await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work], ROOT);
      const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
      expect(tgz).toMatch(/^darkscan-\d+\.\d+\.\d+\.tgz$/);
      const app = join(work, 'app');
      mkdirSync(app);
      // A bare environment, as a new user's shell: no npm config from this machine's HOME.
      const env = { PATH: process.env.PATH!, HOME: join(work, 'home') };
      await sh('npm', ['install', '--no-audit', '--no-fund', join(work, tgz)], app, env);
      const pkg = JSON.parse(readFileSync(join(app, 'node_modules/darkscan/package.json'), 'utf8'));
      expect(pkg.private).toBeUndefined();
      expect(Object.keys(pkg.dependencies)).not.toContain('onnxruntime-node');
      expect(existsSync(join(app, 'node_modules/onnxruntime-node')), 'no benchmark peer in a user install').toBe(false);

      const demo = await sh('npx', ['darkscan', 'demo', '--quick'], app, env);
      expect(demo).toMatch(/files in .*demo-out/);
      const results = JSON.parse(readFileSync(join(app, 'demo-out/results.json'), 'utf8'));
      expect(results.windows.length, 'demo results list windows').toBeGreaterThan(0);
      expect(['wasm', 'webgpu', 'cpu']).toContain(results.backend.name); // the backend is recorded

      // The README example: type-checked against the installed package's types, then run.
      const code = readmeExample();
      writeFileSync(join(app, 'example.mts'), code);
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022', 'DOM'], types: [] },
        files: ['example.mts'],
      }));
      await sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app, env);
      writeFileSync(join(app, 'example.mjs'), ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
      const out = await sh(process.execPath, ['example.mjs'], app, env);
      console.log(`README example in the installed package: ${out.trim()}`);
      expect(out).toMatch(/^(wasm|webgpu|cpu): most significant of 8960 windows at M_mumu = [\d.]+ GeV, M_recoil = [\d.]+ GeV: n = \d+, b = [\d.]+, local Z = -?[\d.]+, 90% CL CLs upper limit [\d.]+ signal events$/m);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});
