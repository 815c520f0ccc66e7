// Builds what Node and the browser load: the two AssemblyScript targets and the esbuild bundles.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';

// WGSL and GLSL sources are imported as text (`./x.wgsl?raw`), as Vite/vitest do natively.
const wgslRaw = {
  name: 'wgsl-raw',
  setup(b) {
    b.onResolve({ filter: /\.(wgsl|glsl)\?raw$/ }, (a) => ({ path: new URL(a.path.replace(/\?raw$/, ''), `file://${a.resolveDir}/`).pathname, namespace: 'wgsl' }));
    b.onLoad({ filter: /.*/, namespace: 'wgsl' }, async (a) => ({ contents: await readFile(a.path, 'utf8'), loader: 'text' }));
  },
};

// AssemblyScript layouts (params, buffer table, strides) from each kernel's desc: wasm/gen/<name>.ts;
// the build's entry wasm/gen/index.ts exports every registered kernel.
{
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const gen = await esbuild.build({
    stdin: { contents: "import { KERNELS } from './kernels/index.ts'; import { asIndex, asLayout } from './kernels/aslayout.ts'; export default [...KERNELS.map((d) => [d.name, asLayout(d)]), ['index', asIndex(KERNELS)]];", resolveDir: '.', loader: 'ts' },
    bundle: true, format: 'esm', platform: 'node', write: false, plugins: [wgslRaw], logLevel: 'warning',
  });
  const { default: layouts } = await import(`data:text/javascript,${encodeURIComponent(gen.outputFiles[0].text)}`);
  mkdirSync('wasm/gen', { recursive: true });
  for (const [name, src] of layouts) writeFileSync(`wasm/gen/${name}.ts`, src);
}
const asc = (target) =>
  execFileSync(process.execPath, ['node_modules/assemblyscript/bin/asc.js', 'wasm/gen/index.ts', '--config', 'asconfig.json', '--target', target], {
    stdio: 'inherit',
  });
asc('simd');
asc('scalar');

const common = { bundle: true, format: 'esm', sourcemap: true, plugins: [wgslRaw], logLevel: 'warning', target: 'es2022' };
await esbuild.build({
  ...common,
  platform: 'node',
  entryPoints: { cli: 'engine/cli/index.ts', darkscan: 'engine/index.ts', 'wasm-worker': 'host/wasm-worker.ts', 'generate-worker': 'host/generate-worker.ts', 'bench-node': 'bench/node.ts' },
  outdir: 'dist',
  external: ['webgpu', 'jsroot'], // jsroot: ESM with wasm/__dirname-using deps (zstd); loaded from node_modules at run time
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
console.log('build: dist/ ready');

// The browser: the same engine/host code as ESM for a page served by `darkscan serve`, and the
// library entry for browsers/bundlers (js/darkscan.js, package.json "exports" browser). Layout
// (dist/web/ is the server root): index.html + bench.html + style.css, js/<entry>.js, and
// dist/wasm-worker.js + dist/darkscan-*.wasm, where host/wasm.ts finds them from js/ through
// `new URL('../dist/...', import.meta.url)`. Node-only imports (webgpu, node:*) stay external:
// host/ imports them dynamically and only under Node.
{
  const { mkdirSync, copyFileSync, readdirSync } = await import('node:fs');
  await esbuild.build({
    ...common,
    platform: 'browser',
    entryPoints: { 'js/page': 'web/page.ts', 'js/bench': 'web/bench.ts', 'js/darkscan': 'engine/index.ts', 'dist/wasm-worker': 'host/wasm-worker.ts' },
    outdir: 'dist/web',
    external: ['webgpu', 'node:*'],
  });
  mkdirSync('dist/web/dist', { recursive: true });
  for (const f of readdirSync('dist')) if (f.endsWith('.wasm')) copyFileSync(`dist/${f}`, `dist/web/dist/${f}`);
  for (const f of readdirSync('web')) if (/\.(html|css)$/.test(f)) copyFileSync(`web/${f}`, `dist/web/${f}`);
}
console.log('build: dist/web/ ready');
