// The f64 definition of eemumu's regions on a CM final state (kernels/gen_eemumu/ref.ts header; thresholds from
// engine/generate/gen-eemumu.ts EEMUMU_REGIONS), shared by the region tests (gen-eemumu-rz, gen-eemumu-nested).
import { OMC_ESCAPE, type EemumuRegion } from '../engine/generate/gen-eemumu.js';

/** Whether a CM final state (f64; e- along +z) lies in the region (ref.ts header's definition of R with reg's thresholds). */
export function inRegion(reg: EemumuRegion, em: readonly number[], ep: readonly number[]): boolean {
  const pt = (q: readonly number[]) => Math.hypot(q[1], q[2]);
  const esc = (q: readonly number[], sgn: number, omc: number) => 1 - (sgn * q[3]) / Math.hypot(q[1], q[2], q[3]) < omc;
  if (!(esc(em, 1, OMC_ESCAPE[0]) && esc(ep, -1, OMC_ESCAPE[1]) && Math.max(pt(em), pt(ep)) >= reg.ptGeV)) return false;
  const sx = -(em[1] + ep[1]), sy = -(em[2] + ep[2]), sz = -(em[3] + ep[3]), ps = Math.hypot(sx, sy, sz);
  return ps >= reg.pGeV && Math.abs(sz) < reg.cosMax * ps;
}
