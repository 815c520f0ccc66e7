import type { RefKernel } from '../types.js';
import { xdiv, xexp, xlog, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsNormal, rsUniform, type RStream } from '../lib/sampling.js';
import { boostZ, disc, fm, twoBody, type V4 } from '../lib/genkin.js';

// TypeScript reference of gen_idm (twins: gen_idm.wgsl, wasm/gen_idm.ts): the iDM signal decays of the
// lifetime sweep (engine/generate/idm.ts generateIdmDecays), one event per item in f32 from exact
// operations, from its own Philox stream (counter (block, event, 0, 0)). e+e- -> A' h' at rest in the
// CM with the A' direction isotropic (the Zh-like angular distribution is not simulated), A' -> chi1 chi2
// isotropic in the A' frame, both boosted to the lab; the h' proper decay length c t log-uniform in
// [ct_min, ct_min e^ln_r] (ct_mode 0: importance sampling, reweighted to each lifetime) or exponential
// with c tau = ctau (ct_mode 1: injection; U >= 2^-24, so c t <= 16.6 c tau: the tail beyond has
// probability 6e-8); lxy = c t pT / m_h' (or fixed_bgt c t); M_red smeared by a normal of sigma
// sg_red (illustrative). Draws: cos and a disc point for A', the same for chi2, c t, the normal, and
// the uniform of the chi2 decay (the injection's c t2 = -c tau2 ln(1 - u)). Loops: genkin's disc
// (64 tries) and sampling.ts's normal (64 tries), nothing else.
const fr = Math.fround;
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

export const GEN_IDM_PARAM_NAMES = [
  'key0', 'key1', 'ct_mode', 'fixed',
  'sqrt_s', 'm_a', 'm_h', 'm_chi1', 'm_chi2', 'g_cm', 'bg_cm', 'ct_min', 'ln_r', 'ctau', 'ictau0', 'fixed_bgt', 'm_red', 'sg_red',
] as const;
export const GEN_IDM_U32_PARAMS = 4;
/** Output words per event, in this order. */
export const GEN_IDM_OUT = ['ctNorm', 'lxy', 'mred', 'bgTChi2', 'ct', 'uChi2'] as const;
export const EV_WORDS = GEN_IDM_OUT.length;

const I = Object.fromEntries(GEN_IDM_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_IDM_PARAM_NAMES)[number], number>;

/** Transverse beta gamma pT / m of q. */
function bgTrans(q: V4, m: number): number {
  return xdiv(xsqrt(fr(fm(q[1], q[1]) + fm(q[2], q[2]))), m);
}

function genEvent(P: Float32Array, w: Uint32Array, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const rs = P[I.sqrt_s], mA = P[I.m_a], mh = P[I.m_h], m2 = P[I.m_chi2];
  const c1 = sub(mul(2, rsUniform(s)), 1);
  const [A, H] = twoBody([rs, 0, 0, 0], rs, mul(rs, rs), mA, mh, c1, disc(s));
  const c2 = sub(mul(2, rsUniform(s)), 1);
  const [, X2] = twoBody(A, mA, mul(mA, mA), P[I.m_chi1], m2, c2, disc(s));
  const g = P[I.g_cm], bg = P[I.bg_cm];
  const bgT = w[I.fixed] !== 0 ? P[I.fixed_bgt] : bgTrans(boostZ(H, g, bg), mh);
  const u = rsUniform(s);
  const ct = w[I.ct_mode] !== 0 ? mul(P[I.ctau], -xlog(u)) : mul(P[I.ct_min], xexp(mul(P[I.ln_r], u)));
  out[o] = mul(ct, P[I.ictau0]);
  out[o + 1] = mul(ct, bgT);
  out[o + 2] = Math.max(0, fr(P[I.m_red] + mul(P[I.sg_red], rsNormal(s))));
  out[o + 3] = bgTrans(boostZ(X2, g, bg), m2);
  out[o + 4] = ct;
  out[o + 5] = rsUniform(s);
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_IDM_PARAM_NAMES>]; item l = event item_offset + l
export const genIdmRef: RefKernel = (p, _inputs, [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1];
  for (let l = 0; l < n; l++) genEvent(P, p, (off + l) >>> 0, s, o, EV_WORDS * l);
};
