// Loads a benchmark peer (onnxruntime-node, onnxruntime-web) from bench/node_modules, where
// `npm run peers` (bench/peers.mjs) installs them apart from darkscan's own dependencies.
// Node modules are imported dynamically: bench/mlp.ts (which loads this) is bundled into the
// browser's benchmark page too, where a static `node:` import would stop the page from loading.

export type PeerName = 'onnxruntime-node' | 'onnxruntime-web';

/** bench/package.json, found upwards from this module (bench/*.ts under vite-node/vitest, dist/*.js when bundled). */
async function benchPackageJson(): Promise<string> {
  const { existsSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const f of [join(d, 'package.json'), join(d, 'bench', 'package.json')]) {
      if (f.endsWith(join('bench', 'package.json')) && existsSync(f)) return f;
    }
    const up = dirname(d);
    if (up === d) throw new Error('bench/package.json not found above ' + fileURLToPath(import.meta.url));
    d = up;
  }
}

/** The peer's module namespace (loosely typed: the peers' types are not installed with darkscan). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadPeer(name: PeerName): Promise<any> {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  let path: string;
  try {
    path = createRequire(await benchPackageJson()).resolve(name);
  } catch {
    throw new Error(`${name} is not installed: it is a benchmark peer, installed into bench/node_modules by \`npm run peers\` (npm test and npm run bench do it)`);
  }
  const m = await import(pathToFileURL(path).href);
  return m.default && !m.InferenceSession ? m.default : m;
}
