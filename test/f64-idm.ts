// The f64 host iDM signal decays that the gen_idm kernel replaced (engine/generate/idm.ts
// generateIdmDecays before the kernel: Philox uniforms from the backend, kinematics in host f64), kept
// only as an independent cross-check: test/gen-idm.test.ts compares their distributions with the kernel's.
import { foldIn, key, uniforms } from '../engine/random.js';
import { CT_MAX_CM, CT_MIN_CM, IDM_STREAM, darkHiggsCtau0Cm, type IdmDecayOptions } from '../engine/generate/idm.js';
import { boostFrom, twoBody } from '../engine/generate/lorentz.js';
import { SQRT_S, toLab } from '../engine/generate/physics.js';
import { DAUGHTER_MASS, reducedMass, resolution } from '../engine/llp/sample.js';

/** The former generateIdmDecays (two Philox blocks per event; the A' direction isotropic, A' -> chi1 chi2 isotropic, Box-Muller smearing). */
export async function f64IdmDecays(o: IdmDecayOptions) {
  const p = o.params, m2 = p.mChi1 + p.dm;
  const u = await uniforms(o.backend, foldIn(key(o.seed, IDM_STREAM), o.cell), { event: 0 }, 2 * o.n);
  const ctNorm = new Float64Array(o.n), lxy = new Float64Array(o.n), mred = new Float64Array(o.n), bgTChi2 = new Float64Array(o.n), ct = new Float64Array(o.n);
  const ctau0 = darkHiggsCtau0Cm(o.mh), mx = DAUGHTER_MASS[o.channel], mr = reducedMass(o.mh, mx), sg = resolution(o.mh, o.channel);
  const lnR = Math.log(CT_MAX_CM / CT_MIN_CM);
  for (let k = 0; k < o.n; k++) {
    const r = u.subarray(8 * k, 8 * k + 8);
    const [A, H] = twoBody(SQRT_S, p.mA, o.mh, 2 * r[0] - 1, 2 * Math.PI * r[1]);
    const [, X2] = twoBody(p.mA, p.mChi1, m2, 2 * r[2] - 1, 2 * Math.PI * r[3]);
    const Hl = toLab(H), X2l = toLab(boostFrom(A, X2));
    const bgT = o.fixedBgT ?? Math.hypot(Hl[1], Hl[2]) / o.mh;
    ct[k] = o.ctauCm !== undefined ? -o.ctauCm * Math.log(1 - r[4]) : CT_MIN_CM * Math.exp(lnR * r[4]);
    ctNorm[k] = ct[k] / ctau0;
    lxy[k] = ct[k] * bgT;
    const gauss = Math.sqrt(-2 * Math.log(1 - r[5])) * Math.cos(2 * Math.PI * r[6]);
    mred[k] = Math.max(0, mr + sg * gauss);
    bgTChi2[k] = Math.hypot(X2l[1], X2l[2]) / m2;
  }
  return { ctNorm, lxy, mred, bgTChi2, ct };
}
