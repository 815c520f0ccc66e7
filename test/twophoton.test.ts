// The two-photon e+e- -> e+e- mu+ mu- sampler (engine/generate/twophoton.ts): its envelope bounds,
// the same distribution as the rejection loop it replaced (kept below, only here), a few uniforms per
// event, and the tail bias: per-event weights of mean 1 that leave every weighted distribution as
// it was while putting many more simulated events where a dimuon + missing-momentum selection looks.
import { describe, expect, it } from 'vitest';
import { EventRandom, generate } from '../engine/generate/index.js';
import { q2Range, sampleEpa, scatteredP4, type EpaEvent } from './f64-eemumu.js';
import { M_E, M_MU, type P4 } from '../engine/generate/lorentz.js';
import { S, SQRT_S, sigmaGammaGammaToLL, toLab } from '../engine/generate/physics.js';
import { DARK_HIGGSSTRAHLUNG } from '../engine/analyses/searches.js';
import { key } from '../engine/random.js';

const E = SQRT_S / 2;

/** The generator's e e mu mu loop before GENERATOR_VERSION 3: y flat in ln y, Q^2 flat in ln Q^2 over 1e-14..s, all by rejection. */
function oldEpa(rng: EventRandom, wMin: number) {
  const ly = Math.log((wMin * wMin) / S), lo = Math.log(1e-14), hi = Math.log(S);
  let smax = 0;
  for (let w = wMin; w <= SQRT_S; w += 0.001) smax = Math.max(smax, sigmaGammaGammaToLL(w, M_MU));
  smax *= 1.01;
  const scattered = (y: number, q2: number, phi: number, dir: number): P4 | null => {
    const E2 = E * (1 - y);
    if (!(E2 > M_E)) return null;
    const p = Math.sqrt(E * E - M_E * M_E), p2 = Math.sqrt(E2 * E2 - M_E * M_E);
    const c = (2 * E * E2 - 2 * M_E * M_E - q2) / (2 * p * p2);
    if (!(c >= -1 && c <= 1)) return null;
    const st = Math.sqrt(1 - c * c);
    return [E2, p2 * st * Math.cos(phi), p2 * st * Math.sin(phi), dir * p2 * c];
  };
  for (;;) {
    const y1 = Math.exp(ly * rng.uniform()), y2 = Math.exp(ly * rng.uniform());
    const q1 = Math.exp(lo + (hi - lo) * rng.uniform()), q2 = Math.exp(lo + (hi - lo) * rng.uniform());
    const f1 = rng.between(0, 2 * Math.PI), f2 = rng.between(0, 2 * Math.PI);
    const em = scattered(y1, q1, f1, 1), ep = scattered(y2, q2, f2, -1);
    if (!em || !ep) continue;
    const flux = (y: number, q: number) => 1 - y + (y * y) / 2 - (M_E * M_E * y * y) / q;
    const sys: P4 = [2 * E - em[0] - ep[0], -em[1] - ep[1], -em[2] - ep[2], -em[3] - ep[3]];
    const W2 = sys[0] ** 2 - sys[1] ** 2 - sys[2] ** 2 - sys[3] ** 2;
    if (!(W2 > wMin * wMin)) continue;
    const W = Math.sqrt(W2);
    const damp = (W2 / (W2 + q1)) * (W2 / (W2 + q2));
    if (rng.uniform() > flux(y1, q1) * flux(y2, q2) * damp * (sigmaGammaGammaToLL(W, M_MU) / smax)) continue;
    return { y1, y2, q1, q2, w: W, em, ep };
  }
}

type Row = { w: number; lnQ1: number; lnY1: number; ptEp: number; tagged: number; weight: number };
const pt = (p: P4) => Math.hypot(p[1], p[2]);
/** An electron track in the tracker (17-150 deg lab, pT > 0.1 GeV: detector.ts). */
const inTracker = (p: P4) => {
  const l = toLab(p), th = (Math.atan2(pt(l), l[3]) * 180) / Math.PI;
  return th > 17 && th < 150 && pt(l) > 0.1 ? 1 : 0;
};
const row = (e: { w: number; em: P4; ep: P4 }, q1: number, y1: number, weight: number): Row => ({
  w: e.w, lnQ1: Math.log(q1), lnY1: Math.log(y1), ptEp: pt(e.ep), tagged: inTracker(e.em) | inTracker(e.ep), weight,
});

function sampleOld(n: number, seed: number): { rows: Row[]; blocks: number } {
  const rng = new EventRandom(key(seed, 77));
  let blocks = 0;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const e = oldEpa(rng.start(i), 0.5);
    blocks += rng.blocksUsed;
    rows.push(row(e, e.q1, e.y1, 1));
  }
  return { rows, blocks: blocks / n };
}
function sampleNew(n: number, seed: number, tail: boolean): { rows: Row[]; blocks: number; events: EpaEvent[] } {
  const rng = new EventRandom(key(seed, 78));
  let blocks = 0;
  const rows: Row[] = [], events: EpaEvent[] = [];
  for (let i = 0; i < n; i++) {
    const e = sampleEpa(rng.start(i), 0.5, tail);
    blocks += rng.blocksUsed;
    rows.push(row(e, e.ph1.q2, e.ph1.y, e.weight));
    events.push(e);
  }
  return { rows, blocks: blocks / n, events };
}

/** Two-sample Kolmogorov-Smirnov distance of unweighted samples. */
function ksDistance(a: number[], b: number[]): number {
  a = [...a].sort((x, y) => x - y);
  b = [...b].sort((x, y) => x - y);
  let i = 0, j = 0, d = 0;
  while (i < a.length && j < b.length) {
    if (a[i] <= b[j]) i++;
    else j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** Weighted fraction of rows with pred, and its standard error, per row. */
function fraction(rows: Row[], pred: (r: Row) => boolean): [number, number] {
  let s = 0, s2 = 0;
  for (const r of rows) if (pred(r)) (s += r.weight), (s2 += r.weight * r.weight);
  return [s / rows.length, Math.sqrt(s2) / rows.length];
}

const N = 20_000;
const old = sampleOld(N, 1);

describe('e e mu mu sampler: envelope and kinematics', () => {
  it('the Q^2 range is where the scattered lepton has |cos| <= 1, and W^2 <= y1 y2 s everywhere', () => {
    const rng = new EventRandom(key(3, 3)).start(0);
    for (let k = 0; k < 20_000; k++) {
      const y1 = Math.exp(Math.log(1e-5) * rng.uniform()), y2 = Math.exp(Math.log(1e-5) * rng.uniform());
      const r1 = q2Range(y1), r2 = q2Range(y2);
      if (!r1 || !r2) continue;
      // the range ends are cos = +1 and -1: Q^2 = 2 (E E' - p p' cos) - 2 m^2
      const e2 = E * (1 - y1), p = Math.sqrt(E * E - M_E * M_E), p2 = Math.sqrt(e2 * e2 - M_E * M_E);
      expect(r1[1]).toBeCloseTo(2 * (E * e2 + p * p2) - 2 * M_E * M_E, 9);
      if (y1 < 0.9) expect(r1[0] / ((M_E * M_E * y1 * y1) / (1 - y1))).toBeCloseTo(1, 3); // Q^2_min = m^2 y^2 / (1 - y) (Budnev et al. eq. D.4)
      const u = rng.uniform(), q1 = r1[0] * (r1[1] / r1[0]) ** rng.uniform(), q2 = r2[0] * (r2[1] / r2[0]) ** u;
      const ph = (y: number, q: number) => {
        const e = E * (1 - y), pp = Math.sqrt(e * e - M_E * M_E);
        return { y, q2: q, e2: e, p2: pp, cos: Math.max(-1, Math.min(1, (2 * E * e - 2 * M_E * M_E - q) / (2 * p * pp))) };
      };
      // anti-aligned transverse momenta give the largest W
      const em = scatteredP4(ph(y1, q1), 0, 1), ep = scatteredP4(ph(y2, q2), rng.uniform() < 0.5 ? Math.PI : 2 * Math.PI * rng.uniform(), -1);
      const s = [SQRT_S - em[0] - ep[0], -em[1] - ep[1], -em[2] - ep[2], -em[3] - ep[3]];
      expect(s[0] ** 2 - s[1] ** 2 - s[2] ** 2 - s[3] ** 2).toBeLessThanOrEqual(y1 * y2 * S * (1 + 1e-9));
    }
  });
});

describe('e e mu mu sampler: the distribution of the loop it replaced', () => {
  const fresh = sampleNew(N, 1, false);
  it('unweighted (tailBias 0): W, ln Q^2, ln y, pT(e+) agree with the old loop (KS, alpha = 1e-3), at a fifth of the random blocks', () => {
    const crit = 1.95 * Math.sqrt(2 / N);
    for (const k of ['w', 'lnQ1', 'lnY1', 'ptEp'] as const) {
      expect(ksDistance(old.rows.map((r) => r[k]), fresh.rows.map((r) => r[k])), k).toBeLessThan(crit);
    }
    for (const r of fresh.rows) expect(r.weight).toBe(1);
    expect(fresh.blocks).toBeLessThan(old.blocks / 5);
  });
  it('tail bias: mean weight 1; weighted W, tag fraction, pT(e+) tails agree with the old loop; many more rows in the escaping large-pT tail', () => {
    const tail = sampleNew(N, 2, true);
    const w = tail.rows.map((r) => r.weight);
    const mean = w.reduce((a, b) => a + b, 0) / N, sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / N);
    expect(Math.abs(mean - 1)).toBeLessThan(4 * (sd / Math.sqrt(N)));
    const cuts: [string, (r: Row) => boolean][] = [
      ['W > 1', (r) => r.w > 1], ['W > 2', (r) => r.w > 2], ['W > 4', (r) => r.w > 4], ['tagged', (r) => r.tagged === 1],
      ['pT(e+) > 0.3', (r) => r.ptEp > 0.3], ['pT(e+) > 1', (r) => r.ptEp > 1], ['pT(e+) > 1.5, untagged', (r) => r.ptEp > 1.5 && r.tagged === 0],
    ];
    for (const [name, pred] of cuts) {
      const [po, eo] = fraction(old.rows, pred), [pn, en] = fraction(tail.rows, pred);
      expect(Math.abs(pn - po), `${name}: old ${po} +- ${eo}, new ${pn} +- ${en}`).toBeLessThan(4 * Math.hypot(eo, en));
    }
    // the untagged large-pT tail: at least 10 times the rows of the unweighted sample, most with a small weight
    const untaggedHard = (r: Row) => r.ptEp > 1.5 && r.tagged === 0;
    const nOld = old.rows.filter(untaggedHard).length, hard = tail.rows.filter(untaggedHard);
    expect(hard.length).toBeGreaterThan(10 * nOld);
    expect(hard.map((r) => r.weight).sort((a, b) => a - b)[Math.floor(hard.length / 2)]).toBeLessThan(0.2);
  });
});

describe('e e mu mu events (generate)', () => {
  it('the weight column carries the per-event weight (x the run weight); tailBias 0 gives weight 1 and the same weighted preselection rate', () => {
    const n = 30_000;
    const biased = generate({ process: 'eemumu', events: n, seed: 9, weight: 3 });
    const flat = generate({ process: 'eemumu', events: n, seed: 9, params: { tailBias: 0 } });
    for (const v of flat.columns.weight) expect(v).toBe(1);
    expect(new Set(biased.columns.weight).size).toBeGreaterThan(3);
    for (const v of biased.columns.weight) expect(v).toBeGreaterThan(0);
    // A'h' preselection (2 muons, nothing else, recoil into the barrel): weighted rates agree, the biased sample has more rows
    const rate = (s: typeof flat, div: number) => {
      const m = DARK_HIGGSSTRAHLUNG.select(s.columns, s.length);
      let sw = 0, sw2 = 0, rows = 0;
      for (let i = 0; i < s.length; i++) if (m[i]) (sw += s.columns.weight[i] / div), (sw2 += (s.columns.weight[i] / div) ** 2), rows++;
      return { r: sw / n, e: Math.sqrt(sw2) / n, rows };
    };
    const a = rate(biased, 3), b = rate(flat, 1);
    expect(Math.abs(a.r - b.r), `biased ${a.r} +- ${a.e}, unweighted ${b.r} +- ${b.e}`).toBeLessThan(4 * Math.hypot(a.e, b.e));
    expect(a.rows).toBeGreaterThan(b.rows);
    // mu pT above 1.5 GeV among preselected events (the pairs an A'h' MLP keeps): weighted agreement
    const hard = (s: typeof flat, div: number) => {
      const m = DARK_HIGGSSTRAHLUNG.select(s.columns, s.length);
      let sw = 0, sw2 = 0;
      for (let i = 0; i < s.length; i++) if (m[i] && s.columns.pt_mumu_GeV[i] > 1.5) (sw += s.columns.weight[i] / div), (sw2 += (s.columns.weight[i] / div) ** 2);
      return { r: sw / n, e: Math.sqrt(sw2) / n };
    };
    const ha = hard(biased, 3), hb = hard(flat, 1);
    expect(Math.abs(ha.r - hb.r), `biased ${ha.r} +- ${ha.e}, unweighted ${hb.r} +- ${hb.e}`).toBeLessThan(4 * Math.hypot(ha.e, hb.e) + 1e-6);
  });
  it('eemumu_4trk is unweighted by default (both electrons in the tracker: the tail bias would only cost statistics there)', () => {
    const s = generate({ process: 'eemumu_4trk', events: 3000, seed: 2 });
    for (const v of s.columns.weight) expect(v).toBe(1);
  });
  it('rejects a tailBias other than 0 or 1', () => {
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { tailBias: 0.5 } })).toThrow(/tailBias/);
  });
});
