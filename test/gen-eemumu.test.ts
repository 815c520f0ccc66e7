// The gen_eemumu kernel (kernels/gen_eemumu: two-photon e+e- -> e+e- mu+ mu- in f32 on every backend)
// against the f64 host generator it replaced, kept only as an independent cross-check
// (test/f64-eemumu.ts: the EPA sampler with its tail bias, gamma gamma -> mu mu) run through the host
// chain (generateHost: toLab, detector.ts, reconstruct). Different random streams, arithmetic and
// tail-bias draws, so the comparison is statistical and weighted: per-generated-event weighted
// rates (acceptance), binned weighted rates of M_recoil, M_mumu, p, the angles, p*(mu mu), pT(mu mu)
// (chi^2 with sum w^2 errors), the tagged / untagged fractions and the weighted rate of the A'h'
// preselection's large-pT tail. The same comparison fails against deliberately broken physics.
// Plus: the table's bounds, the columns, chunking, the strata.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, FAMILY_COLUMNS, GENERATOR_VERSION, generate, generateHost, getProcess, resolveParams, type EventSample } from '../engine/generate/index.js';
import { EEMUMU_R_FRACTION, GEN_EEMUMU_COLUMNS, OMC_ESCAPE, STRATUM_R, cGammaGamma, eemumuKernelParams, eemumuProposalMasses, eemumuTable, estimateRegionFraction } from '../engine/generate/gen-eemumu.js';
import { ENV, NC, CELL_TOTAL, R_CELLS, eemumuFinalState, resetTrials, trialsRun } from '../kernels/gen_eemumu/ref.js';
import { genEemumu } from '../kernels/gen_eemumu/desc.js';
import { packParams } from '../kernels/types.js';
import { newStream, rsInit } from '../kernels/lib/sampling.js';
import { M_MU } from '../engine/generate/lorentz.js';
import { SQRT_S } from '../engine/generate/physics.js';
import { DARK_HIGGSSTRAHLUNG } from '../engine/analyses/searches.js';
import type { EventRandom, Params } from '../engine/generate/index.js';
import type { GenEvent } from '../engine/generate/processes.js';
import { f64Eemumu, f64EemumuDef } from './f64-eemumu.js';
import { decileFailures } from './genstats.js';

/** Weighted per-generated-event rate of rows with pred, and its error sqrt(sum w^2) / N. */
function rate(s: EventSample, n: number, pred: (i: number) => boolean): [number, number] {
  let a = 0, b = 0;
  for (let i = 0; i < s.length; i++) {
    if (!pred(i)) continue;
    const w = s.columns.weight[i];
    (a += w), (b += w * w);
  }
  return [a / n, Math.sqrt(b) / n];
}

/** Chi^2 of two weighted binned rates (bins from the pooled 1st..99th percentiles of the rows, plus under/overflow), bins with content. */
function chi2Rates(a: EventSample, na: number, b: EventSample, nb: number, col: string, bins = 20): { chi2: number; ndf: number } {
  const xa = a.columns[col], xb = b.columns[col];
  const pooled = Float64Array.from([...Array.from(xa), ...Array.from(xb)]).sort();
  const lo = pooled[Math.floor(0.01 * pooled.length)], hi = pooled[Math.floor(0.99 * pooled.length)];
  const hist = (s: EventSample, n: number) => {
    const h = new Float64Array(bins + 2), h2 = new Float64Array(bins + 2), x = s.columns[col], w = s.columns.weight;
    for (let i = 0; i < s.length; i++) {
      const k = hi > lo ? (x[i] < lo ? 0 : x[i] >= hi ? bins + 1 : 1 + Math.floor(((x[i] - lo) / (hi - lo)) * bins)) : 1;
      h[k] += w[i] / n;
      h2[k] += (w[i] / n) ** 2;
    }
    return [h, h2];
  };
  const [ha, va] = hist(a, na), [hb, vb] = hist(b, nb);
  let chi2 = 0, ndf = 0;
  for (let k = 0; k < bins + 2; k++) {
    if (va[k] + vb[k] === 0) continue;
    chi2 += (ha[k] - hb[k]) ** 2 / (va[k] + vb[k]);
    ndf++;
  }
  return { chi2, ndf };
}

const SHAPES = ['m_recoil_GeV', 'm_mumu_GeV', 'p_mu1_GeV', 'p_mu2_GeV', 'cos_theta_mu1', 'cos_theta_recoil_cm', 'p_mumu_cm_GeV', 'pt_mumu_GeV', 'truth_m_mumu_GeV'] as const;

/** Every disagreement between two weighted samples of n events each (accepted rows), as messages; [] when they agree. */
function disagreements(k: EventSample, h: EventSample, n: number): string[] {
  const out: string[] = [];
  const z = (a: [number, number], b: [number, number]) => Math.abs(a[0] - b[0]) / Math.hypot(a[1], b[1]);
  const check = (what: string, pred: (s: EventSample) => (i: number) => boolean) => {
    const a = rate(k, n, pred(k)), b = rate(h, n, pred(h));
    if (!(z(a, b) < 4)) out.push(`${what}: ${a[0].toExponential(3)} +- ${a[1].toExponential(1)} vs ${b[0].toExponential(3)} +- ${b[1].toExponential(1)}`);
  };
  check('weighted acceptance', () => () => true);
  check('tagged (an electron track)', (s) => (i) => s.columns.n_extra_tracks[i] > 0);
  check('untagged', (s) => (i) => s.columns.n_extra_tracks[i] === 0);
  const pre = (s: EventSample) => DARK_HIGGSSTRAHLUNG.select(s.columns, s.length);
  const pk = pre(k), ph = pre(h);
  check("A'h' preselection", (s) => (i) => (s === k ? pk : ph)[i] === 1);
  check("A'h' preselection, pT(mu mu) > 1.5 GeV (the tail the MLP keeps)", (s) => (i) => (s === k ? pk : ph)[i] === 1 && s.columns.pt_mumu_GeV[i] > 1.5);
  for (const c of SHAPES) {
    const { chi2, ndf } = chi2Rates(k, n, h, n, c);
    // chi^2 / ndf of ~22 bins: sd ~ 0.3; 2.2 is ~4 sigma
    if (!(chi2 / ndf < 2.2)) out.push(`${c}: weighted rates chi2 = ${chi2.toFixed(1)} / ${ndf}`);
  }
  return out;
}

const N = 24000;
const kernelSample = (params: Params, seed: number, n = N) => generate({ process: 'eemumu', params, events: n, seed });
const hostSample = (gen: (rng: EventRandom, p: Params) => GenEvent, params: Params, seed: number, n = N) =>
  generateHost({ ...f64EemumuDef(), generate: gen }, { process: 'eemumu', params, events: n, seed });

describe('gen_eemumu kernel vs the f64 host generator it replaced (statistical, weighted)', () => {
  for (const params of [{ tailBias: 0 }, { tailBias: 1 }] as Params[]) {
    it(`eemumu ${JSON.stringify(params)}: weighted acceptance, tagged / untagged, the A'h' preselection and its large-pT tail, binned M_recoil, M_mumu, p, angles agree (${N} events each)`, () => {
      const k = kernelSample(params, 21), h = hostSample(f64Eemumu, params, 22);
      expect(k.meta.event_kernel).toMatch(/gen_eemumu/);
      expect(disagreements(k, h, N)).toEqual([]);
      if (params.tailBias === 0) for (const w of k.columns.weight) expect(w).toBe(1);
    });
  }
  it('the comparison fails against broken physics: tail weights ignored, virtualities dropped (Q^2 = 0: electrons along the beams), the mu mu momenta scaled by 0.9', () => {
    const k = kernelSample({ tailBias: 1 }, 23);
    const broken: [string, (rng: EventRandom, p: Params) => GenEvent][] = [
      ['tail weights ignored', (rng, p) => ({ ...f64Eemumu(rng, p), weight: 1 })],
      ['electrons along the beams', (rng, p) => {
        const e = f64Eemumu(rng, p);
        for (const q of e.particles) if (q.kind === 'e') q.p = [q.p[0], 0, 0, q.p[3] > 0 ? q.p[0] : -q.p[0]];
        return e;
      }],
      ['W scaled by 0.9', (rng, p) => {
        const e = f64Eemumu(rng, p);
        for (const q of e.particles) if (q.kind === 'mu') q.p = [Math.hypot(0.9 * Math.hypot(q.p[1], q.p[2], q.p[3]), M_MU), 0.9 * q.p[1], 0.9 * q.p[2], 0.9 * q.p[3]];
        return e;
      }],
    ];
    for (const [what, gen] of broken) expect(disagreements(k, hostSample(gen, { tailBias: 1 }, 24), N).length, what).toBeGreaterThan(0);
  });
});

describe('gen_eemumu: envelope table and kernel output', () => {
  it('the bounded loops: trials per event (independent, accepted with p = Z / M) below 5 unweighted, 10 with the tail mixture, 25 inside R (ref.ts states the failure probabilities from these)', () => {
    const proc = getProcess('eemumu'), p = resolveParams(proc);
    for (const [stratum, tail, n, most] of [[0, 0, 4000, 5], [0, 1, 4000, 10], [2, 1, 2000, 10], [1, 0, 2000, 25]]) {
      const w = packParams(genEemumu, { count: 1, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, [3, 4], 0), tail, stratum } }, 0, 1);
      const P = new Float32Array(w.buffer), t = eemumuTable(0.5), s = newStream();
      resetTrials();
      for (let i = 0; i < n; i++) {
        rsInit(s, 5, 6, i, 0, 0);
        expect(eemumuFinalState(P, w, t, s), `stratum ${stratum}, event ${i}`).not.toBeNull();
      }
      expect(trialsRun() / n, `stratum ${stratum}, tail ${tail}`).toBeLessThan(most);
    }
  });
  it('c(W) = W^2 sigma(W) increases with W (the envelope bounds sigma(W) D1 D2 by 2 c(sqrt(A))/(A + W_min^2))', () => {
    let prev = 0;
    for (let w = 2 * M_MU + 1e-4; w <= SQRT_S; w += 0.002) {
      const c = cGammaGamma(w);
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
  });
  it('every table sums to 2^23 (a cell from 23 random bits, exactly); the tail tables sit inside g0\'s cells', () => {
    const t = eemumuTable(0.5);
    expect(eemumuTable(0.5)).toBe(t); // cached: the same array (uploaded once)
    for (const sec of [ENV.CUM, ENV.CUM_T1, ENV.CUM_T2]) expect(t[sec * NC + NC - 1]).toBe(CELL_TOTAL);
    expect(t[ENV.CUM_R * NC + R_CELLS - 1]).toBe(CELL_TOTAL);
    const f = new Float32Array(t.buffer);
    for (let c = 1; c < NC; c++) {
      const w0 = t[ENV.CUM * NC + c] - t[ENV.CUM * NC + c - 1];
      for (const sec of [ENV.CUM_T1, ENV.CUM_T2]) if (t[sec * NC + c] > t[sec * NC + c - 1]) expect(w0, `cell ${c}`).toBeGreaterThan(0);
      // the early rejection's factor / (1/H) is the cell's bound of D1 D2 sigma: positive, below 2 c(sqrt(s)) / W_min^2
      if (w0 > 0) expect(f[ENV.INV_R * NC + c] / f[ENV.INV_H * NC + c]).toBeGreaterThan(0);
      if (w0 > 0) expect(f[ENV.INV_R * NC + c] / f[ENV.INV_H * NC + c]).toBeLessThan((2 * cGammaGamma(SQRT_S)) / 0.25);
    }
  });
  it("the kernel's columns are the dimuon family's (and the fourtrack family's), in order; a sample does not depend on chunking or the first event", () => {
    expect([...GEN_EEMUMU_COLUMNS.dimuon]).toEqual(Object.keys(FAMILY_COLUMNS.dimuon));
    expect([...GEN_EEMUMU_COLUMNS.fourtrack]).toEqual(Object.keys(FAMILY_COLUMNS.fourtrack));
    const o = { process: 'eemumu', events: 3000, seed: 5, acceptedOnly: false };
    const all = generate(o);
    const a = generate({ ...o, events: 1234 }), b = generate({ ...o, firstEvent: 1234, events: 3000 - 1234 });
    for (const c of Object.keys(all.columns)) {
      expect(Buffer.from(all.columns[c].buffer).equals(Buffer.concat([Buffer.from(a.columns[c].buffer), Buffer.from(b.columns[c].buffer)])), c).toBe(true);
    }
    expect(all.meta.generator_version).toBe(GENERATOR_VERSION);
  });
  it('refuses a W_min below the kernel\'s range and a tailBias other than 0 or 1', () => {
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { wMin: 0.25 } })).toThrow(/below 0.3 GeV/);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { tailBias: 0.5 } })).toThrow(/tailBias/);
    expect(resolveParams(getProcess('eemumu')).wMin).toBe(0.5);
  });
});

describe('gen_eemumu: the stratum inside R (its own proposal) is exact on R', () => {
  const proc = getProcess('eemumu'), p = resolveParams(proc), tight = eemumuTable(0.5), generous = eemumuTable(0.5, 0, true);
  /** n events (stratum 1 with a generous table: a failed bounded loop continues on the next stream, which is the same rejection sampler). */
  const run = (t: Uint32Array, stratum: number, tail: number, n: number, key: number, retry = false) => {
    const w = packParams(genEemumu, { count: 1, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, [3, 4], 0), tail, stratum } }, 0, 1);
    const P = new Float32Array(w.buffer), s = newStream();
    const rows: { x: number[]; w: number }[] = [];
    resetTrials();
    for (let i = 0, got = 0; got < n; i++) {
      rsInit(s, key, key + 1, i, 0, 0);
      const fs = eemumuFinalState(P, w, t, s);
      if (!fs && retry) continue;
      if (!fs) throw new Error(`stratum ${stratum}: event ${i} failed its bounded loop`);
      got++;
      const x = rVars(fs.em, fs.ep, fs.muM, fs.muP);
      if (x) rows.push({ x, w: fs.weight });
    }
    return { rows, acceptance: n / trialsRun() };
  };
  /** Two-sample chi^2 per variable (10 bins at the first sample's deciles) of two unweighted samples; the failures. */
  const fails = (a: { x: number[] }[], b: { x: number[] }[]) => decileFailures(a.map((q) => q.x), b.map((q) => q.x), R_VARS);
  it("R's table (cells with R's necessary conditions and tight bounds) against a generous one (only J_k and E_sys >= r_p, the plain bound c / max(0.68 A, W_min^2)): the same y_k, pT_k, y_o, p*, cos theta*, M_mumu and sigma_R; fails with bounds 4x too low in part of the cells; bounds hold (a <= 1)", () => {
    const a = run(tight, 1, 0, 3000, 11), g = run(generous, 1, 0, 3000, 31, true);
    expect(a.rows.length, 'every stratum-1 event is in R').toBe(3000);
    expect(g.rows.length).toBe(3000);
    expect(fails(a.rows, g.rows)).toEqual([]);
    // the generous proposal is larger by its mass ratio, its acceptance smaller by the same: sigma_R agrees
    const ma = eemumuProposalMasses(tight).region * a.acceptance, mg = eemumuProposalMasses(generous).region * g.acceptance;
    expect(eemumuProposalMasses(generous).region / eemumuProposalMasses(tight).region).toBeGreaterThan(3);
    expect(Math.abs(ma / mg - 1), `${ma} vs ${mg}`).toBeLessThan(4 * Math.sqrt(2 / 3000));
    // a broken table: 1/H x 4 in the cells where the other photon is not quasi-real (part >= 2): a = f / H clipped at 1 there
    const broken = tight.slice(), f = new Float32Array(broken.buffer);
    for (let c = 0; c < R_CELLS; c++) if (((c >>> 13) & 3) >= 2) for (const sec of [ENV.INV_HR, ENV.INV_RR]) f[sec * NC + c] *= 4;
    expect(fails(run(broken, 1, 0, 3000, 41).rows, g.rows).length, 'bounds too low').toBeGreaterThan(0);
  });
  it('sigma_R / sigma from the proposals\' masses and acceptances agrees with the tail-weighted full sample\'s events in R (f64 definition of R)', () => {
    const full = run(tight, 0, 1, 60000, 13);
    expect(full.rows.length).toBeGreaterThan(800);
    const est = estimateRegionFraction(proc, p, 2500, 30000, 17);
    let sw = 0, sw2 = 0;
    for (const q of full.rows) (sw += q.w), (sw2 += q.w * q.w);
    const weighted = sw / 60000, werr = Math.sqrt(sw2) / 60000;
    expect(Math.abs(est.value - weighted) / Math.hypot(est.error, werr), `${est.value} +- ${est.error} vs ${weighted} +- ${werr}`).toBeLessThan(4);
    // with the tail weights ignored the weighted count is far off
    expect(Math.abs(full.rows.length / 60000 - est.value) / est.value).toBeGreaterThan(10);
    expect(Math.abs(EEMUMU_R_FRACTION.value - est.value) / Math.hypot(est.error, EEMUMU_R_FRACTION.error)).toBeLessThan(4);
  });
});

describe('gen_eemumu: the process parameter regionStratum', () => {
  const proc = getProcess('eemumu');
  it('inside R (1) and outside (-1): sigmas add up to the whole, sigma_R / sigma as recorded; inside R is unweighted (weight 1) and selects as R; bad values refused', () => {
    const sigma = (regionStratum: number) => proc.sigmaFb(resolveParams(proc, { regionStratum }));
    expect(sigma(1) + sigma(-1)).toBeCloseTo(sigma(0), 6);
    expect(sigma(1) / sigma(0)).toBe(EEMUMU_R_FRACTION.value);
    const inside = generate({ process: 'eemumu', params: { regionStratum: 1 }, events: 400, seed: 3, acceptedOnly: false });
    for (const w of inside.columns.weight) expect(w).toBe(1);
    // R's muon pair: p*(mu mu) >= 2.5 GeV at generator level (truth M_recoil then <= sqrt(s - 2 sqrt(s) p* + ...): below 6 GeV)
    for (const m of inside.columns.truth_m_recoil_GeV) expect(m).toBeLessThan(Math.sqrt(SQRT_S * SQRT_S - 2 * SQRT_S * STRATUM_R.pGeV) + 1e-3);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { regionStratum: 2 } })).toThrow(/regionStratum must be -1, 0 or 1/);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { regionStratum: 1, wMin: 1 } })).toThrow(/needs wMin = 0.5/);
  });
  it("the strata together give the whole sample's A'h' preselection yield and its large-pT(mu mu) tail, within 4 standard errors", () => {
    const yieldOf = (params: Params, n: number, seed: number, tail: boolean) => {
      const s = generate({ process: 'eemumu', events: n, seed, params });
      const m = DARK_HIGGSSTRAHLUNG.select(s.columns, s.length);
      let a = 0, b = 0;
      for (let i = 0; i < s.length; i++) {
        if (!m[i] || (tail && !(s.columns.pt_mumu_GeV[i] > 1.5))) continue;
        const w = s.columns.weight[i];
        (a += w), (b += w * w);
      }
      return { y: (s.sigmaFb * a) / n, e: (s.sigmaFb * Math.sqrt(b)) / n };
    };
    for (const tail of [false, true]) {
      const whole = yieldOf({}, 60_000, 51, tail), inside = yieldOf({ regionStratum: 1 }, 4000, 52, tail), outside = yieldOf({ regionStratum: -1 }, 60_000, 53, tail);
      const what = tail ? 'preselection, pT(mu mu) > 1.5 GeV' : 'preselection';
      expect(Math.abs(inside.y + outside.y - whole.y), `${what}: ${inside.y} + ${outside.y} vs ${whole.y}`).toBeLessThan(4 * Math.hypot(inside.e, outside.e, whole.e));
    }
  }, 60_000);
});

const R_VARS = ['y_k', 'pT_k', 'y_o', 'p*_sys', 'cos theta*_sys', 'M_mumu'] as const;
/** R's variables of a CM final state (f64; e- along +z), null outside R (ref.ts header's definition). */
function rVars(em: number[], ep: number[], muM: number[], muP: number[]): number[] | null {
  const E = SQRT_S / 2, pt = (q: number[]) => Math.hypot(q[1], q[2]);
  const esc = (q: number[], sgn: number, omc: number) => 1 - (sgn * q[3]) / Math.hypot(q[1], q[2], q[3]) < omc;
  if (!(esc(em, 1, OMC_ESCAPE[0]) && esc(ep, -1, OMC_ESCAPE[1]) && Math.max(pt(em), pt(ep)) >= STRATUM_R.ptGeV)) return null;
  const sx = -(em[1] + ep[1]), sy = -(em[2] + ep[2]), sz = -(em[3] + ep[3]), ps = Math.hypot(sx, sy, sz);
  if (!(ps >= STRATUM_R.pGeV && Math.abs(sz) < STRATUM_R.cosMax * ps)) return null;
  const [k, o] = pt(em) >= pt(ep) ? [em, ep] : [ep, em];
  const mm = [0, 1, 2, 3].map((j) => muM[j] + muP[j]);
  return [1 - k[0] / E, pt(k), 1 - o[0] / E, ps, sz / ps, Math.sqrt(Math.max(0, mm[0] ** 2 - mm[1] ** 2 - mm[2] ** 2 - mm[3] ** 2))];
}
