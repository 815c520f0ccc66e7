// `darkscan serve`: the browser page (dist/web/, built by `npm run build`) on localhost, with the
// cross-origin isolation headers that SharedArrayBuffer and shared WebAssembly memory need
// (COOP same-origin + COEP require-corp: https://web.dev/articles/coop-coep).
import { createServer, type Server } from 'node:http';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { intArg, type Command } from './args.js';

export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.parquet': 'application/octet-stream',
  '.root': 'application/octet-stream',
};

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** dist/web next to the CLI bundle (dist/cli.js) or, from the sources, ../../dist/web. */
export function defaultWebRoot(): string {
  const candidates = [new URL('./web/', import.meta.url), new URL('../../dist/web/', import.meta.url)]
    .filter((u) => u.protocol === 'file:')
    .map((u) => fileURLToPath(u));
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new Error(`serve: no built page found (looked in ${candidates.join(', ')}): run 'npm run build' first`);
  return found;
}

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly root?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly root: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startServer(o: ServeOptions = {}): Promise<RunningServer> {
  const root = resolve(o.root ?? defaultWebRoot());
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`serve: --root ${root} is not a directory`);
  const host = o.host ?? '127.0.0.1';
  const server = createServer(async (req, res) => {
    const send = (code: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { ...ISOLATION_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden\n');
      if (!existsSync(file) || !statSync(file).isFile()) return send(404, `not found: ${path}\n`);
      const body = await readFile(file);
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      if (req.method === 'HEAD') {
        res.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': type, 'Content-Length': body.byteLength, 'Cache-Control': 'no-store' });
        return res.end();
      }
      send(200, body, type);
    } catch (e) {
      send(500, `${(e as Error).message}\n`);
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? 8080, host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`,
    root,
    server,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}

const SERVE_OPTIONS = {
  port: { type: 'string', default: '8080', arg: 'P', help: 'TCP port (0: any free one)' },
  host: { type: 'string', arg: 'HOST', help: 'address to listen on (default: 127.0.0.1)' },
  root: { type: 'string', arg: 'DIR', help: "folder served (default: the package's dist/web)" },
} as const;

export const serve: Command = {
  summary: 'serve the browser page (WebGPU / WASM workers / WebGL2) and the benchmark page on localhost',
  usage: 'serve [--port P] [--host 127.0.0.1] [--root dist/web]',
  options: SERVE_OPTIONS,
  async run(args, out, ctx) {
    const { values } = parseArgs({ args, options: SERVE_OPTIONS });
    const s = await startServer({ port: intArg(values.port!, '--port', 0, 65535), host: values.host, root: values.root });
    out(`darkscan: serving ${s.root} at ${s.url} (page), ${s.url}bench.html (benchmarks); Ctrl-C stops`);
    // Runs until Ctrl-C (bin/darkscan.js turns SIGINT into ctx.signal) or SIGTERM.
    await new Promise<void>((done) => {
      if (ctx?.signal?.aborted) return done();
      ctx?.signal?.addEventListener('abort', () => done(), { once: true });
      if (!ctx?.signal) process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await s.close();
    return 0;
  },
};
