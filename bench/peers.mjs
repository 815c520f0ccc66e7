// Installs the benchmark peers of bench/package.json (onnxruntime-node, onnxruntime-web) into
// bench/node_modules, apart from darkscan's own dependencies, so that they can neither break nor
// bloat `npm ci` of the tool. Idempotent: does nothing when the locked versions are present.
// Install scripts are not run: onnxruntime-node ships its CPU binaries in the npm package, and its
// postinstall only downloads CUDA/TensorRT providers (hundreds of MB, from a host outside npm).
//   node bench/peers.mjs [--check]   (--check: exit 1 when missing, install nothing)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')).dependencies;
// Where Node's resolution from bench/ finds a package: bench/node_modules, then the repository's.
const found = (name, version) =>
  [`node_modules/${name}/package.json`, `../node_modules/${name}/package.json`].some((rel) => {
    const f = new URL(rel, import.meta.url);
    return existsSync(f) && JSON.parse(readFileSync(f, 'utf8')).version === version;
  });
const missing = Object.entries(wanted).filter(([name, version]) => !found(name, version));
if (missing.length === 0) process.exit(0);
const list = missing.map(([n, v]) => `${n}@${v}`).join(', ');
if (process.argv.includes('--check')) {
  console.error(`peers: missing ${list} (run \`npm run peers\`)`);
  process.exit(1);
}
console.error(`peers: installing ${list} into bench/node_modules (benchmark peers, not darkscan dependencies)`);
const npm = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const r = spawnSync(npm[0], [...npm[1], 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: dir,
  stdio: 'inherit',
  env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
});
if (r.status !== 0) {
  console.error(`peers: \`npm ci\` in ${dir} failed (${r.error?.message ?? `exit ${r.status}`})`);
  process.exit(1);
}
