// Streamed scan at scale: N events generated on the fly (Philox), fed as CSV text pieces through
// the streaming reader (--csv) or as column chunks, scanned over the dark Higgsstrahlung grid
// (8960 windows). Prints events/s and the peak RSS sampled after every chunk; run it under
// `/usr/bin/time -v` for the kernel's view of the peak.
//   npx vite-node bench/stream.ts -- --events 1e8 --chunk 1048576 [--csv] [--backend wasm]
import { parseArgs } from 'node:util';
import { philoxBlock } from '../kernels/philox/ref.js';
import { csvChunks } from '../engine/stream.js';
import { makeEventTable, type EventTable } from '../engine/events.js';
import { scanStreamed, type TableSource } from '../engine/scan.js';
import { darkHiggsstrahlungGrid } from '../engine/windows.js';
import { createBackend, parseBackendChoice } from '../host/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { events: { type: 'string', default: '1e7' }, chunk: { type: 'string', default: '1048576' }, csv: { type: 'boolean' }, backend: { type: 'string', default: 'wasm' }, seed: { type: 'string', default: '9' } },
});
const N = Number(values.events), CHUNK = Number(values.chunk), SEED = Number(values.seed);
const U = 2 ** -32, RS = 10.58;

/** Events [a, a + n): m_mumu uniform in [0.22, 10.42], m_recoil uniform below min(m_mumu, sqrt(s) - m_mumu); Philox key (seed, 0x5ca1e), counter (event, 0, 0, 0). */
function gen(a: number, n: number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(n), y = new Float64Array(n), w = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    philoxBlock((a + i) >>> 0, Math.floor((a + i) / 2 ** 32), 0, 0, SEED, 0x5ca1e, w, 0);
    x[i] = 0.22 + 10.2 * w[0] * U;
    y[i] = Math.min(x[i], RS - x[i]) * w[1] * U;
  }
  return { x, y };
}

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));

// CSV text in micro-GeV steps, formatted from integer digit tables (formatting doubles would cost
// more than parsing them): "I.FFFFFF".
const D3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const fmt = (v: number): string => `${Math.floor(v / 1e6)}.${D3[Math.floor(v / 1e3) % 1000]}${D3[v % 1000]}`;
function* csvText(): Generator<string> {
  yield 'm_mumu_GeV,m_recoil_GeV\n';
  const piece = 65536, w = new Uint32Array(4);
  for (let a = 0; a < N; a += piece) {
    let s = '';
    for (let i = a; i < Math.min(N, a + piece); i++) {
      philoxBlock(i >>> 0, Math.floor(i / 2 ** 32), 0, 0, SEED, 0x5ca1e, w, 0);
      const x = 220000 + Math.floor(w[0] * U * 10200000);
      const y = Math.floor(Math.min(x, 10580000 - x) * w[1] * U);
      s += fmt(x) + ',' + fmt(y) + '\n';
    }
    yield s;
  }
}

const opts = { required: ['m_mumu_GeV', 'm_recoil_GeV'] };
const source: TableSource = values.csv
  ? async function* () {
      for await (const c of csvChunks(csvText(), { chunkRows: CHUNK, source: 'generated.csv' })) yield makeEventTable(c.columns, opts).table;
    }
  : async function* (): AsyncGenerator<EventTable> {
      for (let a = 0; a < N; a += CHUNK) {
        const { x, y } = gen(a, Math.min(CHUNK, N - a));
        yield makeEventTable({ m_mumu_GeV: x, m_recoil_GeV: y }, opts).table;
      }
    };

const backend = await createBackend(parseBackendChoice(values.backend!, '--backend') as never);
const grid = darkHiggsstrahlungGrid();
sample();
const rss0 = peak;
const t0 = performance.now();
let last = t0;
const r = await scanStreamed(backend, grid, source, {
  onChunk: (_s, c, e) => {
    sample();
    const now = performance.now();
    if (now - last > 10_000) {
      console.error(`  ${e} events, ${((e / (now - t0)) * 1e3 / 1e6).toFixed(2)} M/s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
      last = now;
    }
  },
});
const s = (performance.now() - t0) / 1000;
let inWindows = 0;
for (const v of r.data.n) inWindows += v;
await backend.dispose();
console.log(JSON.stringify({
  events: N, chunk_events: CHUNK, input: values.csv ? 'CSV text generated on the fly, streaming reader' : 'column chunks generated on the fly',
  backend: backend.name, windows: grid.cx.length, seconds: +s.toFixed(2), events_per_second: Math.round(N / s),
  rss_start_MiB: +(rss0 / 2 ** 20).toFixed(1), rss_peak_MiB: +(peak / 2 ** 20).toFixed(1), sum_n_over_windows: inWindows, chunks: r.data.chunks,
}));
