// LLP decay samples for lifetime sweeps: one row per simulated S decay (B -> K S, S -> x x), in
// columns the llp_sweep kernel reads. Units: lengths in cm, masses in GeV.
import type { Backend } from '../../host/backend.js';
import { foldIn, key, uniforms } from '../random.js';
import { checkpoint } from '../cancel.js';
import { M_B, M_E, M_K, M_MU, M_PI, boost, twoBody, twoBodyP } from '../generate/lorentz.js';

export const CHANNELS = ['ee', 'mumu', 'pipi', 'KK'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Daughter mass of each channel, GeV (PDG 2024, as in engine/generate). */
export const DAUGHTER_MASS: Record<Channel, number> = { ee: M_E, mumu: M_MU, pipi: M_PI, KK: M_K };

export function parseChannels(s: string, flag = '--channels'): Channel[] {
  const out = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const c of out) if (!(CHANNELS as readonly string[]).includes(c)) throw new Error(`${flag}: unknown channel '${c}' (expected ${CHANNELS.join(', ')})`);
  if (out.length === 0) throw new Error(`${flag}: no channel given`);
  return out as Channel[];
}

/** M_red = sqrt(M^2 - 4 m^2) (Belle II, arXiv:2306.02830): 0 below threshold. */
export function reducedMass(m: number, mx: number): number {
  return Math.sqrt(Math.max(0, m * m - 4 * mx * mx));
}

export interface LlpSample {
  /** Proper decay length c*t of each decay, cm. */
  readonly ct: Float32Array;
  /** Transverse flight distance of each decay, cm. */
  readonly lxy: Float32Array;
  /** Reconstructed reduced mass, GeV. */
  readonly mred: Float32Array;
  /** Generator weight (>= 0). */
  readonly gw: Float32Array;
  /** Channel index into CHANNELS. */
  readonly channel: Uint8Array;
  /** Generated S mass of each decay, GeV (the mass hypothesis it belongs to). */
  readonly mS: Float64Array;
  /**
   * c*tau of each component of the generated lifetime mixture, cm (one value: a single lifetime),
   * ascending; every (mass, channel) cell holds the fraction ctauGenFrac[c] of its decays from
   * component c (engine/llp/sweep.ts weights them with the balance heuristic).
   */
  readonly ctauGen: readonly number[];
  readonly ctauGenFrac: readonly number[];
  /** Decays generated per (mass, channel) cell before any selection, keyed `${mS}|${channel}`; default: the rows. */
  readonly nGenerated?: ReadonlyMap<string, number>;
  readonly meta: Record<string, unknown>;
}

export const LLP_STREAM = 0x11b00001;
/** The B0 -> K*0 S samples' stream (B+ -> K+ S keeps LLP_STREAM and its bits). */
export const LLP_STREAM_KSTAR0 = 0x11b00003;
/** Signal injected into the data (engine/analyses/searches-llp.ts, a demo's inject): its own stream, independent of the efficiency sample. */
export const LLP_STREAM_INJECT = 0x11b00005;
const M_B0 = 5.27966, M_KSTAR0 = 0.89555; // PDG 2024

/**
 * The production modes of Belle II PRD 108 (2023) L111104 (arXiv:2306.02830): B+ -> K+ S and
 * B0 -> K*0(892) (-> K+ pi-) S. fB: B(Upsilon(4S) -> B+ B- or B0 B0bar) (PDG 2024: f+- = 0.514,
 * f00 = 0.486); kDecay: B(K*0 -> K+ pi-) = 2/3 (isospin), part of the paper's limited product. The
 * K*0 is generated at its pole mass (the 47 MeV width is not simulated).
 */
export const PRODUCTIONS = {
  'K+': { name: 'B+ -> K+ S', mB: M_B, mK: M_K, fB: 0.514, kDecay: 1, stream: LLP_STREAM, bMesons: 'B+ and B-' },
  'K*0': { name: 'B0 -> K*0(-> K+ pi-) S', mB: M_B0, mK: M_KSTAR0, fB: 0.486, kDecay: 2 / 3, stream: LLP_STREAM_KSTAR0, bMesons: 'B0 and B0bar' },
} as const;
export type Production = keyof typeof PRODUCTIONS;
export const PRODUCTION_NAMES = Object.keys(PRODUCTIONS) as Production[];

export function parseProduction(s: string, flag = '--production'): Production {
  if (!(PRODUCTION_NAMES as string[]).includes(s)) throw new Error(`${flag}: unknown production mode '${s}' (expected ${PRODUCTION_NAMES.join(' or ')}: ${PRODUCTION_NAMES.map((p) => PRODUCTIONS[p].name).join(', ')})`);
  return s as Production;
}
// 2: c*t drawn from a log-spaced mixture of lifetimes spanning the sweep (bounded reweighting weights; v1 had one c*tau_gen).
export const LLP_SAMPLE_VERSION = 2;

/**
 * The generated lifetime mixture for a sweep over [min(ctaus), max(ctaus)]: log-spaced components,
 * both ends included, neighbours a factor <= sqrt(10) apart (so every swept lifetime has a
 * component within that factor above it: its weights stay below ~ sqrt(10) x components).
 */
export function llpMixture(ctaus: readonly number[]): number[] {
  let lo = Infinity, hi = 0;
  for (const c of ctaus) {
    if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`llp: lifetime c*tau = ${c} must be a positive finite number`);
    lo = Math.min(lo, c); hi = Math.max(hi, c);
  }
  if (!(hi > 0)) throw new RangeError('llp: no lifetimes given');
  const n = hi > lo ? Math.ceil(2 * Math.log10(hi / lo) - 1e-9) + 1 : 1;
  return Array.from({ length: n }, (_, i) => (i === 0 ? lo : i === n - 1 ? hi : lo * Math.pow(hi / lo, i / (n - 1))));
}

/** Decays of component c of a cell of n decays split into k components: [start(c), start(c + 1)). */
export const mixtureStart = (n: number, k: number, c: number) => Math.floor((c * n) / k);
/** Upsilon(4S) boost in the Belle II lab (7 GeV e- on 4 GeV e+): beta gamma = (7 - 4) / sqrt(4 * 7 * 4) = 0.284. */
export const BG_Y4S = 3 / Math.sqrt(112);
/** B momentum in the Upsilon(4S) frame: two-body p* for M = 10.5794 GeV -> B+ B- (PDG 2024): ~0.33 GeV. */
export const P_B_Y4S = twoBodyP(10.5794, M_B, M_B);

export interface GenerateLlpOptions {
  readonly masses: readonly number[];
  readonly channels: readonly Channel[];
  /** Decays per (mass, channel) cell. */
  readonly perCell: number;
  /** c*tau to generate with, cm: one lifetime, or the components of a mixture (llpMixture), each a contiguous block of every cell's decays. */
  readonly ctauGenCm: number | readonly number[];
  readonly seed: number;
  /** Reduced-mass resolution sigma(m) in GeV for the smearing (default resolution()). */
  readonly sigma?: (m: number, c: Channel) => number;
  /** Test mode: every S flies with this transverse beta gamma (lxy = bgT * ct), no B kinematics. */
  readonly fixedBgT?: number;
  /** Production mode (default 'K+': B+ -> K+ S). */
  readonly production?: Production;
  /** Random stream (default the production mode's; e.g. LLP_STREAM_INJECT for signal injected into data). */
  readonly stream?: number;
  /** Draws the Philox uniforms (the same bits on every backend). */
  readonly backend: Backend;
  /** Ctrl-C: checked between cells (engine/cancel.ts). */
  readonly signal?: AbortSignal;
}

/** Illustrative reduced-mass resolution, GeV: sigma = 0.002 + 0.003 m (a few MeV, as for displaced two-track vertices). */
export function resolution(m: number, _c: Channel): number {
  return 0.002 + 0.003 * m;
}

/**
 * B+ -> K+ S (or B0 -> K*0 S, o.production), S -> x x decays: B isotropic with p* = P_B_Y4S in the Upsilon(4S) frame, boosted
 * along z by BG_Y4S; S isotropic in the B frame; c*t exponential with the decay's component of
 * ctauGenCm (component c: decays [mixtureStart(c), mixtureStart(c + 1)) of each cell, its own
 * counter range); lxy = c*t * pT / m (flight L = beta gamma c t, its transverse part); M_red smeared
 * with a Gaussian. Randomness: Philox, key foldIn(key(seed, stream), cell) (stream: LLP_STREAM, or
 * LLP_STREAM_KSTAR0 for B0 -> K*0 S), two blocks per decay at counters 2i, 2i + 1.
 */
export async function generateLlpSample(o: GenerateLlpOptions): Promise<LlpSample> {
  if (!Number.isInteger(o.perCell) || o.perCell < 1) throw new RangeError(`perCell must be a positive integer, got ${o.perCell}`);
  const mix = typeof o.ctauGenCm === 'number' ? [o.ctauGenCm] : [...o.ctauGenCm];
  mix.forEach((c, i) => {
    if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`ctauGenCm[${i}] must be a positive finite number, got ${c}`);
    if (i > 0 && !(c > mix[i - 1])) throw new RangeError(`ctauGenCm: the mixture's lifetimes must ascend, got ${mix[i - 1]} then ${c}`);
  });
  if (mix.length === 0) throw new RangeError('ctauGenCm: no lifetime given');
  if (o.perCell < mix.length) throw new RangeError(`perCell (${o.perCell}) must be >= the mixture's ${mix.length} lifetimes`);
  const K = mix.length, comp = new Float64Array(o.perCell);
  for (let c = 0; c < K; c++) comp.fill(mix[c], mixtureStart(o.perCell, K, c), mixtureStart(o.perCell, K, c + 1));
  const sigma = o.sigma ?? resolution;
  const nCells = o.masses.length * o.channels.length;
  const N = nCells * o.perCell;
  const ct = new Float32Array(N), lxy = new Float32Array(N), mred = new Float32Array(N), gw = new Float32Array(N).fill(1);
  const channel = new Uint8Array(N), mS = new Float64Array(N);
  const backend = o.backend;
  const prod = PRODUCTIONS[o.production ?? 'K+'];
  const base = key(o.seed, o.stream ?? prod.stream);
  let i = 0;
  for (const [im, m] of o.masses.entries()) {
    for (const [ic, c] of o.channels.entries()) {
      const mx = DAUGHTER_MASS[c];
      if (!(m > 2 * mx && m < prod.mB - prod.mK)) throw new RangeError(`mass ${m} GeV is outside (${2 * mx}, ${+(prod.mB - prod.mK).toFixed(5)}) for channel ${c} in ${prod.name}`);
      await checkpoint(o.signal);
      const u = await uniforms(backend, foldIn(base, im * o.channels.length + ic), { event: 0 }, 2 * o.perCell);
      const mr = reducedMass(m, mx), sg = sigma(m, c);
      for (let k = 0; k < o.perCell; k++, i++) {
        const r = u.subarray(8 * k, 8 * k + 8);
        let bgT: number;
        if (o.fixedBgT !== undefined) {
          bgT = o.fixedBgT;
        } else {
          const [B] = twoBody(10.5794, prod.mB, prod.mB, 2 * r[0] - 1, 2 * Math.PI * r[1]); // B in the Y(4S) frame
          const [, S0] = twoBody(prod.mB, prod.mK, m, 2 * r[2] - 1, 2 * Math.PI * r[3]); // S in the B frame
          const S1 = boost(S0, B[1] / B[0], B[2] / B[0], B[3] / B[0]);
          const S = boost(S1, 0, 0, BG_Y4S / Math.sqrt(1 + BG_Y4S * BG_Y4S)); // to the lab
          bgT = Math.hypot(S[1], S[2]) / m;
        }
        ct[i] = -comp[k] * Math.log(1 - r[4]); // exponential decay, r in [0, 1)
        lxy[i] = ct[i] * bgT;
        // Box-Muller (1 - r5 in (0, 1]).
        const gauss = Math.sqrt(-2 * Math.log(1 - r[5])) * Math.cos(2 * Math.PI * r[6]);
        mred[i] = Math.max(0, mr + sg * gauss);
        channel[i] = CHANNELS.indexOf(c);
        mS[i] = m;
      }
    }
  }
  return {
    ct, lxy, mred, gw, channel, mS, ctauGen: mix,
    ctauGenFrac: mix.map((_, c) => (mixtureStart(o.perCell, K, c + 1) - mixtureStart(o.perCell, K, c)) / o.perCell),
    meta: {
      generator: `darkscan llp ${prod.name}`, production: o.production ?? 'K+', version: LLP_SAMPLE_VERSION, seed: o.seed, stream: o.stream ?? prod.stream, perCell: o.perCell,
      ctau_gen_cm: mix.length === 1 ? mix[0] : mix, ...(mix.length > 1 ? { ctau_gen_mixture: `${mix.length} log-spaced lifetimes, equal shares, each a contiguous block of every cell's decays; weights by the balance heuristic` } : {}),
      fixedBgT: o.fixedBgT ?? null,
    },
  };
}
