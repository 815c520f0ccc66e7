// gen_idm: the iDM signal decays, one event per item. Twin of kernels/gen_idm/{ref.ts,gen_idm.wgsl}
// (the physics and draw order are documented in ref.ts); the same f32 operations in the same order.
import { xdiv, xexp, xlog, xsqrt } from './lib/exactmath';
import { rsInit, rsNormal, rsUniform } from './lib/sampling';
import { aE, aX, aY, aZ, bE, bX, bY, bZ, boostZ, disc, fm, oX, oY, twoBody } from './lib/genkin';
import { Bufs, OUT_EV_STRIDE, Params } from './gen/gen_idm';

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

/** Transverse beta gamma of the last boostZ result. */
function bgTrans(m: f32): f32 { return xdiv(xsqrt(fm(oX, oX) + fm(oY, oY)), m); }

export function gen_idm(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  const n = P.item_count;
  for (let l: u32 = 0; l < n; l++) {
    const o = out + <usize>l * OUT_EV_STRIDE;
    rsInit(P.key0, P.key1, P.item_offset + l, 0, 0);
    const rs = P.sqrt_s, mA = P.m_a, mh = P.m_h, m2 = P.m_chi2;
    const c1: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
    disc();
    twoBody(rs, 0.0, 0.0, 0.0, rs, rs * rs, mA, mh, c1);
    const ae = aE, ax = aX, ay = aY, az = aZ, he = bE, hx = bX, hy = bY, hz = bZ;
    const c2: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
    disc();
    twoBody(ae, ax, ay, az, mA, mA * mA, P.m_chi1, m2, c2);
    const xe = bE, xx = bX, xy = bY, xz = bZ;
    const g = P.g_cm, bg = P.bg_cm;
    let bgT = P.fixed_bgt;
    if (P.fixed == 0) {
      boostZ(he, hx, hy, hz, g, bg);
      bgT = bgTrans(mh);
    }
    const u = rsUniform();
    const ct: f32 = P.ct_mode != 0 ? P.ctau * -xlog(u) : P.ct_min * xexp(P.ln_r * u);
    put(o, 0, ct * P.ictau0);
    put(o, 1, ct * bgT);
    put(o, 2, max<f32>(0.0, P.m_red + P.sg_red * rsNormal()));
    boostZ(xe, xx, xy, xz, g, bg);
    put(o, 3, bgTrans(m2));
    put(o, 4, ct);
    put(o, 5, rsUniform());
  }
}
