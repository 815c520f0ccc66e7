// Host double-precision evaluation of a FitModel (kernels/fit/layout.ts): expected rates, pyhf's
// twice_nll with its constants, the gradient, the Hessian (for uncertainties) and Asimov data.
// The same formulas as the fit kernel (kernels/fit/ref.ts), in f64: the kernel fits, the host
// reports (twice_nll, uncertainties) at the fitted parameters.
import { code4Coefficients, dataWords, type FitModel } from '../../kernels/fit/layout.js';
import { lnGamma } from '../stats/special.js';

const LN_2PI = Math.log(2 * Math.PI);

/** Multiplicative factor and its derivative (pyhf code 4 or 1 for normsys, theta itself otherwise). */
function mulFactor(r: FitModel['bins'][number][number]['mul'][number], al: number, coef: Map<object, number[]>): [number, number] {
  if (r.kind === 'linear') return [al, 1];
  if (r.code === 1) {
    // pyhf interpolators/code1.py
    const f = al >= 0 ? Math.pow(r.up, al) : Math.pow(r.dn, -al);
    return [f, (al >= 0 ? Math.log(r.up) : -Math.log(r.dn)) * f];
  }
  // pyhf interpolators/code4.py (alpha0 = 1)
  if (al >= 1) { const f = Math.pow(r.up, al); return [f, Math.log(r.up) * f]; }
  if (al <= -1) { const f = Math.pow(r.dn, -al); return [f, -Math.log(r.dn) * f]; }
  let a = coef.get(r);
  if (!a) { a = code4Coefficients(r.up, r.dn); coef.set(r, a); }
  let f = 1, fd = 0;
  for (let i = 0; i < 6; i++) {
    f += a[i] * al ** (i + 1);
    fd += (i + 1) * a[i] * al ** i;
  }
  return [f, fd];
}

/** histosys delta and derivative (pyhf interpolators/code4p.py; code 0: piecewise linear, code0.py). */
function addDelta(du: number, dd: number, al: number, code: 0 | 4): [number, number] {
  const edge = code === 0 ? 0 : 1;
  if (al >= edge) return [al * du, du]; // at code 0's kink: the right derivative (as kernels/fit/ref.ts)
  if (al < -edge) return [al * dd, dd];
  const S = 0.5 * (du + dd), A = 0.0625 * (du - dd), a2 = al * al;
  return [al * (S + al * A * (15 + a2 * (-10 + 3 * a2))), S + al * A * (30 + a2 * (-40 + 18 * a2))];
}

export class ModelEvaluator {
  private readonly coef = new Map<object, number[]>();
  constructor(readonly model: FitModel) {}

  /** Expected main-bin rates lambda_b(theta); with `jac`, also d lambda_b / d theta (B x P). */
  expected(theta: ArrayLike<number>, jac?: number[][]): number[] {
    const P = this.model.params.length;
    return this.model.bins.map((bin, b) => {
      let lam = 0;
      const J = jac ? (jac[b] = new Array(P).fill(0)) : undefined;
      for (const e of bin) {
        let base = e.nom;
        const dAdd: [number, number][] = [];
        for (const r of e.add) {
          const [dv, dp] = addDelta(r.du, r.dd, theta[r.p], r.code ?? 4);
          base += dv;
          dAdd.push([r.p, dp]);
        }
        const fs = e.mul.map((r) => mulFactor(r, theta[r.p], this.coef));
        const F = fs.reduce((s, [f]) => s * f, 1);
        lam += base * F;
        if (J) {
          for (const [p, dp] of dAdd) J[p] += dp * F;
          e.mul.forEach((r, k) => {
            let others = 1;
            fs.forEach(([f], j) => { if (j !== k) others *= f; });
            J[r.p] += base * fs[k][1] * others;
          });
        }
      }
      return lam;
    });
  }

  /** Auxiliary data expected at theta: theta_p for Gaussian, tau theta_p for Poisson constraints. */
  expectedAux(theta: ArrayLike<number>): number[] {
    return [...this.model.gauss.map((g) => theta[g.p]), ...this.model.pois.map((q) => q.tau * theta[q.p])];
  }

  /** A data block (main counts then auxiliary data) at theta: the Asimov data set of arXiv:1007.1727 sec. 3.2. */
  asimov(theta: ArrayLike<number>): Float64Array {
    const out = new Float64Array(dataWords(this.model));
    out.set(this.expected(theta));
    out.set(this.expectedAux(theta), this.model.bins.length);
    return out;
  }

  /**
   * pyhf's twice_nll: -2 ln L = -2 [sum_b ln Pois(n_b | lambda_b) + sum_G ln N(a | theta, sigma)
   * + sum_Q ln Pois(a | tau theta)], with Gamma(n + 1) for the factorials (pyhf tensor
   * poisson_logpdf, normal_logpdf).
   */
  twiceNll(theta: ArrayLike<number>, data: ArrayLike<number>): number {
    const m = this.model, B = m.bins.length, nG = m.gauss.length;
    const lam = this.expected(theta);
    let s = 0;
    const pois = (n: number, l: number) => (n === 0 ? -l : n * Math.log(l) - l - lnGamma(n + 1));
    for (let b = 0; b < B; b++) s += pois(data[b], lam[b]);
    m.gauss.forEach((g, i) => {
      const z = (data[B + i] - theta[g.p]) / g.sigma;
      s += -0.5 * z * z - Math.log(g.sigma) - 0.5 * LN_2PI;
    });
    m.pois.forEach((q, i) => { s += pois(data[B + nG + i], q.tau * theta[q.p]); });
    return -2 * s;
  }

  /** Gradient of -ln L (= twice_nll / 2) with respect to every parameter. */
  gradNll(theta: ArrayLike<number>, data: ArrayLike<number>): number[] {
    const m = this.model, B = m.bins.length, nG = m.gauss.length, P = m.params.length;
    const J: number[][] = [];
    const lam = this.expected(theta, J);
    const g = new Array(P).fill(0);
    for (let b = 0; b < B; b++) {
      const w = 1 - data[b] / lam[b];
      for (let p = 0; p < P; p++) g[p] += w * J[b][p];
    }
    m.gauss.forEach((c, i) => { g[c.p] += (theta[c.p] - data[B + i]) / (c.sigma * c.sigma); });
    m.pois.forEach((q, i) => { g[q.p] += q.tau * (1 - data[B + nG + i] / (q.tau * theta[q.p])); });
    return g;
  }

  /** Hessian of -ln L by central differences of the analytic gradient (f64). */
  hessianNll(theta: ArrayLike<number>, data: ArrayLike<number>): number[][] {
    const P = this.model.params.length;
    const H: number[][] = [];
    for (let p = 0; p < P; p++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[p]));
      const tp = Array.from(theta), tm = Array.from(theta);
      tp[p] += h;
      tm[p] -= h;
      const gp = this.gradNll(tp, data), gm = this.gradNll(tm, data);
      H.push(gp.map((v, i) => (v - gm[i]) / (2 * h)));
    }
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) H[i][j] = H[j][i] = 0.5 * (H[i][j] + H[j][i]);
    return H;
  }
}
