// Deterministic demo inputs, importable from Node (the browser tests build the same samples in
// the test process and compare bits) and from the page.
import { makeEventTable, type EventTable } from '../engine/events.js';
import { philoxBlock } from '../kernels/philox/ref.js';

/**
 * A deterministic toy sample in (m_mumu, m_recoil), GeV: a flat background in the kinematically
 * allowed triangle (m_recoil < m_mumu, m_mumu + m_recoil < 10.58) plus a Gaussian-ish peak at
 * (peakX, peakY) from the sum of 4 uniforms (Irwin-Hall), all from Philox keyed by `seed`.
 * Every operation is exact double arithmetic on u32 draws, so Node and the browser build the
 * same table.
 */
export function toySample(seed: number, n: number, o: { peak?: [number, number]; peakEvents?: number; weight?: number; weighted?: boolean } = {}): EventTable {
  const out = new Uint32Array(4);
  const U = 2 ** -32;
  const x: number[] = [], y: number[] = [];
  const rs = 10.58;
  for (let i = 0; x.length < n; i++) {
    philoxBlock(i, 0, 0, 0, seed >>> 0, 0x70ca1, out, 0);
    const u = out[0] * U, v = out[1] * U;
    const mx = 0.25 + u * 10.2, my = v * 10.4;
    if (my < mx && mx + my < rs) {
      x.push(mx);
      y.push(my);
    }
  }
  const np = o.peakEvents ?? 0;
  const [px, py] = o.peak ?? [4, 2];
  for (let i = 0; i < np; i++) {
    philoxBlock(i, 1, 0, 0, seed >>> 0, 0x70ca1, out, 0);
    const s = (out[0] + out[1] + out[2] + out[3]) * U - 2; // mean 0, sd 1/sqrt(3)
    philoxBlock(i, 2, 0, 0, seed >>> 0, 0x70ca1, out, 0);
    const t = (out[0] + out[1] + out[2] + out[3]) * U - 2;
    x.push(px + 0.02 * s);
    y.push(Math.max(0, py + 0.2 * t));
  }
  const cols: Record<string, number[]> = { m_mumu_GeV: x, m_recoil_GeV: y };
  // Weights: `weight` each, or (weighted) Philox draws in [0.01, 2.01).
  const weighted = o.weight !== undefined || !!o.weighted;
  if (weighted) {
    cols.weight = x.map((_, i) => {
      if (o.weight !== undefined) return o.weight;
      philoxBlock(i, 3, 0, 0, seed >>> 0, 0x70ca1, out, 0);
      return 0.01 + 2 * out[0] * U;
    });
  }
  return makeEventTable(cols, { required: ['m_mumu_GeV', 'm_recoil_GeV'], weightColumn: weighted ? 'weight' : undefined, source: `toy seed ${seed}` }).table;
}

/** FNV-1a over u32 words: a short fingerprint shown on the page. */
export function fingerprint(words: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    let w = words[i] >>> 0;
    for (let k = 0; k < 4; k++, w >>>= 8) h = Math.imul(h ^ (w & 0xff), 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
