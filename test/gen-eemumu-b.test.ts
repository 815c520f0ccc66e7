// gen_eemumu's stratum B (kernel stratum 3, process parameter trackerStratum 1): both scattered leptons
// inside the tracker's polar acceptance (17-150 deg lab, widened by B_MARGIN in 1 - cos), from its own
// proposal ((v, d) cells with bounds of F1 F2 |B1| |B2| D1 D2 sigma, engine/generate/gen-eemumu.ts
// trackerBounds), unweighted. Checks: B's edges contain the track acceptance (no lepton outside B is a
// track); in a large unweighted sample of the whole process every four-track event is in B and their
// number is the one B predicts; B's events against the whole sample's events in B (generator level) and
// B's four-track events against the whole sample's (detector level); sigma_B / sigma; a broken table fails.
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import { BELLE2_DETECTOR, generate, getProcess, kernelEventKey, resolveParams } from '../engine/generate/index.js';
import { B_OMC, EEMUMU_B_FRACTION, eemumuKernelInputs, eemumuKernelParams, eemumuProposalMasses, eemumuTable, estimateRegionFraction } from '../engine/generate/gen-eemumu.js';
import { EE_WORDS, ENV, GEN_EEMUMU_CONSTANTS, NC, eemumuFinalState, genEemumuRef, resetTrials, trialsRun } from '../kernels/gen_eemumu/ref.js';
import { genEemumu } from '../kernels/gen_eemumu/desc.js';
import { packParams } from '../kernels/types.js';
import { newStream, rsInit } from '../kernels/lib/sampling.js';
import { decileFailures } from './genstats.js';

const proc = getProcess('eemumu'), p = resolveParams(proc, { tailBias: 0 }), table = eemumuTable(0.5);
/** 1 - cos of each lepton along its own beam (CM; e- along +z), f64 from the kernel's f32 vectors. */
const omc = (q: number[], sgn: number) => 1 - (sgn * q[3]) / Math.hypot(q[1], q[2], q[3]);
const inB = (em: number[], ep: number[]) => {
  const o1 = omc(em, 1), o2 = omc(ep, -1);
  return o1 >= B_OMC[0][0] && o1 <= B_OMC[0][1] && o2 >= B_OMC[1][0] && o2 <= B_OMC[1][1];
};
const B_VARS = ['E(e-)', 'E(e+)', 'cos theta*(e-)', 'cos theta*(e+)', 'M_mumu', 'pT(mu mu)'] as const;
const bVars = (em: number[], ep: number[], muM: number[], muP: number[]) => [
  em[0], ep[0], em[3] / Math.hypot(em[1], em[2], em[3]), ep[3] / Math.hypot(ep[1], ep[2], ep[3]),
  Math.sqrt(Math.max(0, (muM[0] + muP[0]) ** 2 - (muM[1] + muP[1]) ** 2 - (muM[2] + muP[2]) ** 2 - (muM[3] + muP[3]) ** 2)), Math.hypot(muM[1] + muP[1], muM[2] + muP[2]),
];

/** n events of kernel stratum `stratum` (TS reference, key (key, key + 1)): B's variables of those in B (all of them for stratum 3) and the acceptance per trial. */
function run(t: Uint32Array, stratum: number, n: number, key: number) {
  const w = packParams(genEemumu, { count: 1, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, [0, 0], 0), tail: 0, stratum } }, 0, 1);
  const P = new Float32Array(w.buffer), s = newStream(), rows: number[][] = [];
  resetTrials();
  for (let i = 0; i < n; i++) {
    rsInit(s, key, key + 1, i, 0, 0);
    const fs = eemumuFinalState(P, w, t, s);
    if (!fs) throw new Error(`stratum ${stratum}: event ${i} failed its bounded loop`);
    if (inB(fs.em, fs.ep)) rows.push(bVars(fs.em, fs.ep, fs.muM, fs.muP));
  }
  return { rows, acceptance: n / trialsRun() };
}

describe("gen_eemumu's stratum B: both scattered leptons inside the tracker", () => {
  it("B's edges lie outside the electrons' track acceptance (17-150 deg lab) by far more than f32 rounding: a lepton outside B is no track", () => {
    const k = eemumuKernelParams(proc, p, BELLE2_DETECTOR, [0, 0], 0), beta = k.bg_cm / k.g_cm;
    // lab cos of a CM direction cos* (electrons: beta = 1 up to (m_e / p)^2 < 1e-8)
    const lab = (c: number) => (c + beta) / (1 + beta * c);
    const cmin = k.trk_cmin_e, cmax = k.trk_cmax_e; // cos 150 deg, cos 17 deg
    // e- (along +z): 1 - cos* below B's lower edge is inside the 17 deg cone, above its upper edge inside the 150 deg one
    expect(lab(1 - B_OMC[0][0]) - cmax).toBeGreaterThan(1e-5);
    expect(cmin - lab(1 - B_OMC[0][1])).toBeGreaterThan(1e-5);
    // e+ (along -z): cos* = -(1 - omc)
    expect(cmin - lab(-(1 - B_OMC[1][0]))).toBeGreaterThan(1e-5);
    expect(lab(-(1 - B_OMC[1][1])) - cmax).toBeGreaterThan(1e-5);
    // and B is no wider than the acceptance by more than its margin (1 - cos within 1e-3 relative of the cones)
    expect(lab(1 - B_OMC[0][0] / (1 - 1e-3)) - cmax).toBeLessThan(1e-6);
    // the refusals: a wider tracker, the parameter's values and combinations
    expect(() => eemumuKernelParams(proc, resolveParams(proc, { trackerStratum: 1 }), { ...BELLE2_DETECTOR, trackThetaMinDeg: 15 }, [0, 0], 0)).toThrow(/within 17-150 deg/);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { trackerStratum: 2 } })).toThrow(/trackerStratum must be -1, 0 or 1/);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { trackerStratum: 1, regionStratum: 1 } })).toThrow(/give one/);
    expect(() => generate({ process: 'eemumu_4trk', events: 1, seed: 1, params: { trackerStratum: 1, wMin: 1 } })).toThrow(/needs wMin = 0.5/);
    const sigma = (trackerStratum: number) => proc.sigmaFb(resolveParams(proc, { trackerStratum }));
    expect(sigma(1) / sigma(0)).toBeCloseTo(EEMUMU_B_FRACTION.value, 12);
    expect((sigma(1) + sigma(-1)) / sigma(0)).toBeCloseTo(1, 12);
  });

  it("B's events against the unweighted whole sample's events in B (E, cos theta* of both leptons, M_mumu, pT): the same shapes; sigma_B / sigma from the proposals agrees with their share and with EEMUMU_B_FRACTION; a table with bounds 4x low in part of the cells fails", () => {
    const b = run(table, 3, 3000, 11);
    expect(b.rows.length, 'every stratum-3 event is in B').toBe(3000);
    const N = 600_000, whole = run(table, 0, N, 13);
    const est = estimateRegionFraction(proc, p, 3000, 40_000, 17, 3);
    expect(Math.abs(est.value - EEMUMU_B_FRACTION.value) / Math.hypot(est.error, EEMUMU_B_FRACTION.error), `${est.value} vs ${EEMUMU_B_FRACTION.value}`).toBeLessThan(4);
    // the whole sample's share of events in B: Poisson about N sigma_B / sigma (~97)
    const mu = N * EEMUMU_B_FRACTION.value;
    expect(Math.abs(whole.rows.length - mu), `${whole.rows.length} events in B of ${N}, expected ${mu.toFixed(1)}`).toBeLessThan(4 * Math.sqrt(mu));
    expect(decileFailures(b.rows, whole.rows, B_VARS)).toEqual([]);
    // ~21 trials per event: TRIALS_B = 1024 fails with probability < (1 - 0.04)^1024 < 1e-18
    expect(b.acceptance).toBeGreaterThan(0.04);
    // a broken table: 1/H x 4 in the cells of large A (v rows 48-63): a clipped at 1 there, B's shapes move
    const broken = table.slice(), f = new Float32Array(broken.buffer);
    for (let c = 48 * 64; c < NC; c++) for (const sec of [ENV.INV_HB, ENV.INV_RB]) f[sec * NC + c] *= 4;
    expect(decileFailures(b.rows, run(broken, 3, 3000, 41).rows, B_VARS).length, 'bounds too low').toBeGreaterThan(0);
    expect(eemumuProposalMasses(table).tracker).toBeGreaterThan(0);
  }, 120_000);
});

describe('eemumu_4trk: outside B no event has four tracks', () => {
  const wasm = WasmBackend.create({ workers: 2 });
  afterAll(async () => (await wasm).dispose());
  it('2 000 000 unweighted events outside B (trackerStratum -1, WASM) and 400 000 with the tail bias: none has four tracks; every event is outside B (TS reference of a subset)', async () => {
    const b4 = getProcess('eemumu_4trk'), be = await wasm, C = GEN_EEMUMU_CONSTANTS, CH = 1 << 18;
    for (const [tailBias, N] of [[0, 2_000_000], [1, 400_000]]) {
      const po = resolveParams(b4, { trackerStratum: -1, tailBias }), key = kernelEventKey(33 + tailBias, b4);
      const params = eemumuKernelParams(b4, po, BELLE2_DETECTOR, key, 0);
      expect(params.stratum).toBe(4);
      let four = 0, electrons = 0, events = 0;
      for (let a = 0; a < N; a += CH) {
        const out = new Float32Array((await be.run(genEemumu, { count: Math.min(CH, N - a), itemOffset: a, params, inputs: eemumuKernelInputs(po) })).ev.buffer);
        for (let l = 0; l < Math.min(CH, N - a); l++) {
          if (out[l * EE_WORDS + C.F_WEIGHT] > 0) events++;
          if (out[l * EE_WORDS + C.F_ACC] === 1) four++;
          // three tracks: an electron among them (n_tracks counts every accepted track of the two muons and two electrons)
          if (out[l * EE_WORDS + C.F_NTRK] === 3) electrons++;
        }
      }
      expect(events, 'every event generated').toBe(N);
      expect(four, `four-track events outside B (tailBias ${tailBias})`).toBe(0);
      // the check can fail: one electron in the tracker is common outside B
      expect(electrons).toBeGreaterThan(N / 1000);
      const w = packParams(genEemumu, { count: 1, params }, 0, 1), P = new Float32Array(w.buffer), s = newStream();
      for (let ev = 0; ev < 3000; ev++) {
        rsInit(s, key[0], key[1], ev, 0, 0);
        const fs = eemumuFinalState(P, w, table, s)!;
        expect(inB(fs.em, fs.ep), `event ${ev}`).toBe(false);
      }
    }
  }, 180_000);

  it('2 000 000 unweighted events of the whole process (WASM): every four-track event has both leptons in B (the TS reference of the same event), and their number is N sigma_B / sigma x B\'s four-track fraction; their M(4 tracks), pT, M(mu mu), p(trk1) shapes match B\'s', async () => {
    const b4 = getProcess('eemumu_4trk'), pw = resolveParams(b4, {}), pb = resolveParams(b4, { trackerStratum: 1 });
    const be = await wasm, N = 2_000_000, CH = 1 << 18, key = kernelEventKey(31, b4);
    const params = eemumuKernelParams(b4, pw, BELLE2_DETECTOR, key, 0), C = GEN_EEMUMU_CONSTANTS;
    const cols = [C.F_M4, C.F_PT4, C.F_MMM, C.F_PTRK1] as const, names = ['m_4trk', 'pt_4trk', 'm_mumu', 'p_trk1'];
    const four: number[] = [], rows: number[][] = [];
    for (let a = 0; a < N; a += CH) {
      const out = new Float32Array((await be.run(genEemumu, { count: CH, itemOffset: a, params, inputs: eemumuKernelInputs(pw) })).ev.buffer);
      for (let l = 0; l < CH; l++) if (out[l * EE_WORDS + C.F_ACC] === 1) (four.push(a + l), rows.push(cols.map((c) => out[l * EE_WORDS + c])));
    }
    // each four-track event again on the TS reference: the same words, both leptons in B
    const w = packParams(genEemumu, { count: 1, params }, 0, 1), P = new Float32Array(w.buffer), s = newStream();
    const one = packParams(genEemumu, { count: 1, params }, 0, 1), ref = new Uint32Array(EE_WORDS);
    for (const ev of four) {
      rsInit(s, key[0], key[1], ev, 0, 0);
      const fs = eemumuFinalState(P, w, table, s)!;
      expect(inB(fs.em, fs.ep), `event ${ev}: 1 - cos ${omc(fs.em, 1)}, ${omc(fs.ep, -1)}`).toBe(true);
      one[0] = ev;
      genEemumuRef(one, [table], [ref]);
      expect(new Float32Array(ref.buffer)[C.F_ACC]).toBe(1);
    }
    // B's four-track fraction, and B's four-track events (WASM, 40 000 events of the stratum)
    const sb = await generateOnB(be, pb, 40_000);
    const mu = N * EEMUMU_B_FRACTION.value * (sb.rows.length / 40_000);
    expect(Math.abs(four.length - mu), `${four.length} four-track events of ${N}, expected ${mu.toFixed(1)}`).toBeLessThan(4 * Math.sqrt(mu));
    expect(decileFailures(sb.rows, rows, names)).toEqual([]);
  }, 180_000);
});

/** n events of eemumu_4trk in B on a backend: the four-track events' M(4 tracks), pT, M(mu mu), p(trk1). */
async function generateOnB(be: WasmBackend, pb: ReturnType<typeof resolveParams>, n: number) {
  const b4 = getProcess('eemumu_4trk'), C = GEN_EEMUMU_CONSTANTS;
  const out = new Float32Array((await be.run(genEemumu, { count: n, params: eemumuKernelParams(b4, pb, BELLE2_DETECTOR, kernelEventKey(32, b4), 0), inputs: eemumuKernelInputs(pb) })).ev.buffer);
  const rows: number[][] = [];
  for (let l = 0; l < n; l++) if (out[l * EE_WORDS + C.F_ACC] === 1) rows.push([C.F_M4, C.F_PT4, C.F_MMM, C.F_PTRK1].map((c) => out[l * EE_WORDS + c]));
  return { rows };
}
