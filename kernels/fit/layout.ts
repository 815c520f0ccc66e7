// The packed layout the fit kernel reads (twins: fit.wgsl, wasm/fit.ts read the same words).
// A binned HistFactory likelihood reduced to what the kernel computes: parameters with bounds,
// main bins made of sample entries (a nominal, additive and multiplicative modifier records),
// Gaussian and Poisson constraint terms. engine/likelihood/model.ts builds a FitModel from a pyhf
// workspace; packModels writes many of them into one Uint32Array (one dispatch fits them all).
//
// Model block at word m of the shared `model` input (f32 words travel as bits):
//   m+0 P      parameters (<= MAXP)            m+4 nQ     Poisson constraints
//   m+1 B      main bins                        m+5 binsOff  (relative to m)
//   m+2 poi    index of the POI                 m+6 consOff  (relative to m)
//   m+3 nG     Gaussian constraints             m+7 words of the block
//   m+8 + 4p   parameter p: init f32, lo f32, hi f32, fixed u32 (1 = held at init)
//   m+binsOff  for each bin: nE, then for each sample entry:
//                nom f32, nA, nM,
//                nA additive (histosys) records: p, du f32, dd f32, S f32, A f32, edge f32
//                  (code 4p: edge 1, S = (du + dd) / 2, A = (du - dd) / 16; code 0: edge 0, A 0)
//                nM multiplicative records: REC_LINEAR p             (factor theta_p)
//                                           REC_NORMSYS p lnUp lnDn a1..a6 (code 4, 10 words)
//                                           REC_NORMSYS1 p lnUp lnDn     (code 1, 4 words)
//   m+consOff  nG x (p, 1/sigma^2 f32), then nQ x (p, tau f32)
// Data block at word d of the shared `data` input (f32): B main counts, nG Gaussian auxiliary
// values, nQ Poisson auxiliary counts (an Asimov data set is just another block).
// Item (perItem input `items`, 4 words): model offset, data offset, poi mode (0 free, 1 fixed),
// poi value f32.

export const MAXP = 64; // parameters per model (private arrays of the kernel)
export const MAXA = 32; // additive records per sample entry
export const MAXM = 32; // multiplicative records per sample entry
// Word offsets of every field above, the one source of the layout: the fit desc passes
// FIT_CONSTANTS on, generated as WGSL and AssemblyScript consts (host/wgsl.ts, wasm/gen/fit.ts).
/** Model header (at m). */
export const MODEL_NPARAMS = 0;
export const MODEL_NBINS = 1;
export const MODEL_POI = 2;
export const MODEL_NGAUSS = 3;
export const MODEL_NPOIS = 4;
export const MODEL_BINS_OFF = 5;
export const MODEL_CONS_OFF = 6;
export const MODEL_WORDS = 7;
export const MODEL_HEADER = 8;
/** Parameter p (at m + MODEL_HEADER + PARAM_WORDS p). */
export const PARAM_WORDS = 4;
export const PARAM_INIT = 0;
export const PARAM_LO = 1;
export const PARAM_HI = 2;
export const PARAM_FIXED = 3;
/** Bin head (at m + binsOff, then after each bin's entries): number of sample entries. */
export const BIN_WORDS = 1;
export const BIN_NENTRIES = 0;
/** Sample entry head: nom, nA, nM (then nA additive, nM multiplicative records). */
export const ENTRY_WORDS = 3;
export const ENTRY_NOM = 0;
export const ENTRY_NADD = 1;
export const ENTRY_NMUL = 2;
/** Additive (histosys) record. */
export const ADD_WORDS = 6;
export const ADD_P = 0;
export const ADD_DU = 1;
export const ADD_DD = 2;
export const ADD_S = 3;
export const ADD_A = 4;
export const ADD_EDGE = 5;
/** Multiplicative record: kind, p, then (normsys) ln up, ln dn, then (code 4) a1..a6. */
export const MUL_KIND = 0;
export const MUL_P = 1;
export const MUL_LNUP = 2;
export const MUL_LNDN = 3;
export const MUL_A1 = 4;
export const MUL_A2 = 5;
export const MUL_A3 = 6;
export const MUL_A4 = 7;
export const MUL_A5 = 8;
export const MUL_A6 = 9;
export const MUL_LINEAR_WORDS = 2;
export const MUL_NORMSYS1_WORDS = 4;
export const MUL_NORMSYS_WORDS = 10;
export const REC_LINEAR = 0;
export const REC_NORMSYS = 1;
export const REC_NORMSYS1 = 2;
/** Constraint term (at m + consOff): p, then 1/sigma^2 (Gaussian) or tau (Poisson). */
export const CONS_WORDS = 2;
export const CONS_P = 0;
export const CONS_VALUE = 1;
/** Item (the `items` input). */
export const ITEM_WORDS = 4;
export const ITEM_MODEL = 0;
export const ITEM_DATA = 1;
export const ITEM_MODE = 2;
export const ITEM_POI = 3;
export const POI_FREE = 0;
export const POI_FIXED = 1;

/** What the kernels see of the layout (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const FIT_CONSTANTS = {
  MAXP, MAXA, MAXM,
  MODEL_NPARAMS, MODEL_NBINS, MODEL_POI, MODEL_NGAUSS, MODEL_NPOIS, MODEL_BINS_OFF, MODEL_CONS_OFF, MODEL_WORDS, MODEL_HEADER,
  PARAM_WORDS, PARAM_INIT, PARAM_LO, PARAM_HI, PARAM_FIXED,
  BIN_WORDS, BIN_NENTRIES, ENTRY_WORDS, ENTRY_NOM, ENTRY_NADD, ENTRY_NMUL,
  ADD_WORDS, ADD_P, ADD_DU, ADD_DD, ADD_S, ADD_A, ADD_EDGE,
  MUL_KIND, MUL_P, MUL_LNUP, MUL_LNDN, MUL_A1, MUL_A2, MUL_A3, MUL_A4, MUL_A5, MUL_A6,
  MUL_LINEAR_WORDS, MUL_NORMSYS1_WORDS, MUL_NORMSYS_WORDS, REC_LINEAR, REC_NORMSYS, REC_NORMSYS1,
  CONS_WORDS, CONS_P, CONS_VALUE,
  ITEM_WORDS, ITEM_MODEL, ITEM_DATA, ITEM_MODE, ITEM_POI, POI_FREE, POI_FIXED,
} as const;

export interface FitParam {
  readonly init: number;
  readonly lo: number;
  readonly hi: number;
  readonly fixed: boolean;
}

/** histosys on one sample entry: du = hi - nom, dd = nom - lo; pyhf code 4p (default) or 0 (piecewise linear). */
export interface AddRec { readonly p: number; readonly du: number; readonly dd: number; readonly code?: 0 | 4 }

/**
 * A multiplicative factor: theta_p itself (normfactor, lumi, shapefactor, shapesys, staterror) or
 * normsys with pyhf's interpolation code 4 (the default) or code 1 (piecewise exponential).
 */
export type MulRec =
  | { readonly kind: 'linear'; readonly p: number }
  | { readonly kind: 'normsys'; readonly p: number; readonly up: number; readonly dn: number; readonly code?: 1 | 4 };

export interface FitEntry { readonly nom: number; readonly add: readonly AddRec[]; readonly mul: readonly MulRec[] }

export interface FitModel {
  readonly params: readonly FitParam[];
  readonly poi: number;
  /** Main bins (all channels concatenated), each a list of sample entries. */
  readonly bins: readonly (readonly FitEntry[])[];
  /** Gaussian constraints N(aux | theta_p, sigma); aux from the data block. */
  readonly gauss: readonly { readonly p: number; readonly sigma: number }[];
  /** Poisson constraints Pois(aux | tau theta_p); aux from the data block. */
  readonly pois: readonly { readonly p: number; readonly tau: number }[];
}

/**
 * Code-4 coefficients a1..a6 (pyhf interpolators/code4.py with alpha0 = 1): the degree-6
 * polynomial 1 + sum a_i alpha^i matching kappa^alpha in value, first and second derivative at
 * alpha = +-1 (ROOT HistFactory, CERN-OPEN-2012-016; the inverse matrix is pyhf's A_inverse).
 */
export function code4Coefficients(up: number, dn: number): number[] {
  const lu = Math.log(up), ld = Math.log(dn);
  const b = [up - 1, dn - 1, lu * up, -ld * dn, lu * lu * up, ld * ld * dn];
  const Ainv = [
    [15 / 16, -15 / 16, -7 / 16, -7 / 16, 1 / 16, -1 / 16],
    [3 / 2, 3 / 2, -9 / 16, 9 / 16, 1 / 16, 1 / 16],
    [-5 / 8, 5 / 8, 5 / 8, 5 / 8, -1 / 8, 1 / 8],
    [3 / -2, 3 / -2, -7 / -8, 7 / -8, -1 / 8, -1 / 8],
    [3 / 16, -3 / 16, -3 / 16, -3 / 16, 1 / 16, -1 / 16],
    [1 / 2, 1 / 2, -5 / 16, 5 / 16, 1 / 16, 1 / 16],
  ];
  return Ainv.map((row) => row.reduce((s, a, j) => s + a * b[j], 0));
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
/** f32 bits, flushed to a signed zero below 2^-100 (exactmath's ftz: no subnormal reaches a kernel). */
function fbits(v: number): number {
  F32[0] = v;
  return (U32[0] & 0x7fffffff) < 0x0d800000 ? (U32[0] & 0x80000000) >>> 0 : U32[0];
}

/** Words of one packed model (for sizing). */
export function modelWords(m: FitModel): number {
  let n = MODEL_HEADER + PARAM_WORDS * m.params.length;
  for (const bin of m.bins) {
    n += 1;
    for (const e of bin) {
      n += 3 + 6 * e.add.length;
      for (const r of e.mul) n += r.kind === 'linear' ? 2 : r.code === 1 ? 4 : 10;
    }
  }
  return n + 2 * m.gauss.length + 2 * m.pois.length;
}

/** Checks the kernel's limits; the message names what is too large. */
export function checkFitModel(m: FitModel, what = 'model'): void {
  if (m.params.length > MAXP) throw new RangeError(`${what}: ${m.params.length} parameters; the fit kernel takes at most ${MAXP}`);
  if (!(m.poi >= 0 && m.poi < m.params.length)) throw new RangeError(`${what}: POI index ${m.poi} outside the ${m.params.length} parameters`);
  m.bins.forEach((bin, b) => bin.forEach((e, s) => {
    if (e.add.length > MAXA) throw new RangeError(`${what}: bin ${b}, sample entry ${s}: ${e.add.length} histosys modifiers; the fit kernel takes at most ${MAXA}`);
    if (e.mul.length > MAXM) throw new RangeError(`${what}: bin ${b}, sample entry ${s}: ${e.mul.length} multiplicative modifiers; the fit kernel takes at most ${MAXM}`);
    for (const r of e.mul) {
      if (r.kind === 'normsys' && !(r.up > 0 && r.dn > 0 && Number.isFinite(r.up) && Number.isFinite(r.dn))) {
        throw new RangeError(`${what}: bin ${b}, sample entry ${s}: normsys factors must be finite and > 0 (hi ${r.up}, lo ${r.dn})`);
      }
    }
  }));
}

/** Writes one model at word `at` of `out`; returns the next free word. */
export function packModelInto(m: FitModel, out: Uint32Array, at: number): number {
  checkFitModel(m);
  const P = m.params.length;
  let w = at + MODEL_HEADER;
  for (const p of m.params) {
    out[w++] = fbits(p.init);
    out[w++] = fbits(p.lo);
    out[w++] = fbits(p.hi);
    out[w++] = p.fixed ? 1 : 0;
  }
  const binsOff = w - at;
  for (const bin of m.bins) {
    out[w++] = bin.length;
    for (const e of bin) {
      out[w++] = fbits(e.nom);
      out[w++] = e.add.length;
      out[w++] = e.mul.length;
      for (const r of e.add) {
        out[w++] = r.p;
        out[w++] = fbits(r.du);
        out[w++] = fbits(r.dd);
        out[w++] = fbits(0.5 * (r.du + r.dd)); // S
        out[w++] = fbits(r.code === 0 ? 0 : 0.0625 * (r.du - r.dd)); // A
        out[w++] = fbits(r.code === 0 ? 0 : 1); // edge of the polynomial region
      }
      for (const r of e.mul) {
        if (r.kind === 'linear') {
          out[w++] = REC_LINEAR;
          out[w++] = r.p;
        } else {
          out[w++] = r.code === 1 ? REC_NORMSYS1 : REC_NORMSYS;
          out[w++] = r.p;
          out[w++] = fbits(Math.log(r.up));
          out[w++] = fbits(Math.log(r.dn));
          if (r.code !== 1) for (const a of code4Coefficients(r.up, r.dn)) out[w++] = fbits(a);
        }
      }
    }
  }
  const consOff = w - at;
  for (const g of m.gauss) {
    out[w++] = g.p;
    out[w++] = fbits(1 / (g.sigma * g.sigma));
  }
  for (const q of m.pois) {
    out[w++] = q.p;
    out[w++] = fbits(q.tau);
  }
  out[at + MODEL_NPARAMS] = P; out[at + MODEL_NBINS] = m.bins.length; out[at + MODEL_POI] = m.poi;
  out[at + MODEL_NGAUSS] = m.gauss.length; out[at + MODEL_NPOIS] = m.pois.length;
  out[at + MODEL_BINS_OFF] = binsOff; out[at + MODEL_CONS_OFF] = consOff; out[at + MODEL_WORDS] = w - at;
  return w;
}

/** Many models in one buffer; offsets[i] is model i's first word. */
export function packModels(models: readonly FitModel[]): { words: Uint32Array; offsets: number[] } {
  const offsets: number[] = [];
  let n = 0;
  for (const m of models) {
    offsets.push(n);
    n += modelWords(m);
  }
  const words = new Uint32Array(n);
  models.forEach((m, i) => {
    const end = packModelInto(m, words, offsets[i]);
    if (end !== offsets[i] + modelWords(m)) throw new Error('packModels: size mismatch (bug)');
  });
  return { words, offsets };
}

/** Data words of a model: B main counts, nG + nQ auxiliary values. */
/** A data block as the kernel reads it: f32, flushed to 0 below 2^-100. */
export function packData(values: ArrayLike<number>, out: Float32Array, at: number): void {
  const u = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < values.length; i++) u[at + i] = fbits(values[i]);
}

export function dataWords(m: FitModel): number {
  return m.bins.length + m.gauss.length + m.pois.length;
}
