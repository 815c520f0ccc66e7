#!/usr/bin/env python3
"""Golden values for test/stats.test.ts, computed independently of darkscan with numpy/scipy.

Run:  python3 test/golden/make_stats_golden.py > test/golden/stats.json
(numpy 2.4, scipy 1.17). The counting model and conventions are those of engine/stats/model.ts;
here every profile is a numerical minimisation (scipy.optimize), not the closed forms used there.
"""
import json
import math

import numpy as np
from scipy import integrate, optimize, stats


def pois_dev(n, lam):
    if n == 0:
        return 2.0 * lam
    if lam <= 0:
        return math.inf
    return 2.0 * (lam - n + n * math.log(n / lam))


class Model:
    def __init__(self, n, b, s_ref=1.0, sigma_b=0.0, kind="none", eff_unc=0.0):
        self.n, self.b, self.s_ref, self.sigma_b, self.eff_unc = n, b, s_ref, sigma_b, eff_unc
        self.kind = kind if sigma_b > 0 else "none"
        self.tau = (b / sigma_b) ** 2 if self.kind == "poisson" else 0.0
        self.aux = self.tau if self.kind == "poisson" else 0.0
        self.lnk = math.log1p(sigma_b / b) if self.kind == "lognormal" else 0.0
        self.lnke = math.log1p(eff_unc)

    def nu(self, th):
        return {"none": lambda: self.b, "gauss": lambda: self.b + self.sigma_b * th,
                "lognormal": lambda: self.b * math.exp(self.lnk * th), "poisson": lambda: self.b * th}[self.kind]()

    def con(self, th, aux):
        if self.kind == "none":
            return 0.0
        if self.kind == "poisson":
            return pois_dev(aux, self.tau * th)
        return (th - aux) ** 2

    def th_hat(self, aux):
        return aux / self.tau if self.kind == "poisson" else (0.0 if self.kind == "none" else aux)

    def t(self, mu, th, the, n, aux):
        s = mu * self.s_ref * math.exp(self.lnke * the)
        return pois_dev(n, s + self.nu(th)) + self.con(th, aux) + the * the

    def profile(self, mu, n, aux):
        """min over nuisances of t, by scipy minimisation; returns (t, theta, theta_e)."""
        th0 = self.th_hat(aux)
        if self.kind == "none" and self.lnke == 0:
            return self.t(mu, 0, 0, n, aux), 0.0, 0.0

        def lo_th():
            # keep lambda > 0 and (poisson) gamma > 0
            if self.kind == "gauss":
                return -(mu * self.s_ref * 0.5 + self.b) / self.sigma_b + 1e-9 if n > 0 else -50.0
            if self.kind == "poisson":
                return 1e-12
            return th0 - 15

        def best_th(the):
            if self.kind == "none":
                return 0.0, self.t(mu, 0, the, n, aux)
            lo = lo_th() if self.kind != "gauss" else max(lo_th(), th0 - 60)
            hi = th0 + 60 if self.kind != "poisson" else max(10 * th0, 10.0)
            if self.kind == "lognormal":
                lo, hi = th0 - 15, th0 + 15
            r = optimize.minimize_scalar(lambda th: self.t(mu, th, the, n, aux), bounds=(lo, hi), method="bounded",
                                         options={"xatol": 1e-12, "maxiter": 5000})
            return r.x, r.fun

        if self.lnke == 0 or mu == 0:
            th, f = best_th(0.0)
            return f, th, 0.0
        r = optimize.minimize_scalar(lambda te: best_th(te)[1], bounds=(-12, 12), method="bounded",
                                     options={"xatol": 1e-11, "maxiter": 5000})
        th, f = best_th(r.x)
        return f, th, r.x

    def mu_hat(self, n, aux):
        return (n - self.nu(self.th_hat(aux))) / self.s_ref

    def qtilde(self, mu, n, aux):  # arXiv:1007.1727 eq. (16)
        mh = self.mu_hat(n, aux)
        if mh > mu:
            return 0.0
        tm = self.profile(mu, n, aux)[0]
        q = tm if mh >= 0 else tm - self.profile(0.0, n, aux)[0]
        return max(q, 0.0)

    def asimov0(self):
        _, th, _ = self.profile(0.0, self.n, self.aux)
        aux = self.tau * th if self.kind == "poisson" else (0.0 if self.kind == "none" else th)
        return self.nu(th), aux


N = stats.norm


def cls_from_q(q, qa):
    sq, sa = math.sqrt(max(q, 0)), math.sqrt(max(qa, 0))
    if sq <= sa or sa == 0:
        clsb, clb = N.sf(sq), N.cdf(sa - sq)
    else:
        clsb, clb = N.sf((q + qa) / (2 * sa)), N.sf((q - qa) / (2 * sa))
    return clsb / clb, clsb, clb


def hypotest(m, mu=1.0):
    na, aa = m.asimov0()
    q, qa = m.qtilde(mu, m.n, m.aux), m.qtilde(mu, na, aa)
    cls, clsb, clb = cls_from_q(q, qa)
    sa = math.sqrt(qa)
    exp = [N.sf(k + sa) / N.sf(k) for k in (2, 1, 0, -1, -2)]
    return {"cls": cls, "clsb": clsb, "clb": clb, "expected": exp}


def upper_asym(m, cl):
    na, aa = m.asimov0()
    a = 1 - cl
    hi = (m.n + m.b + 10 * math.sqrt(m.n + m.b + 1) + 10 * m.sigma_b + 10) / m.s_ref
    obs = optimize.brentq(lambda mu: cls_from_q(m.qtilde(mu, m.n, m.aux), m.qtilde(mu, na, aa))[0] - a, 1e-6, hi, xtol=1e-10)
    exp = [optimize.brentq(lambda mu: N.sf(k + math.sqrt(m.qtilde(mu, na, aa))) / N.sf(k) - a, 1e-6, 3 * hi, xtol=1e-10)
           for k in (2, 1, 0, -1, -2)]
    return {"upper": obs, "expected": exp}


def discovery(m):
    q0 = m.profile(0.0, m.n, m.aux)[0] if m.mu_hat(m.n, m.aux) >= 0 else 0.0
    z = math.sqrt(max(q0, 0))
    return {"p0": N.sf(z), "z": z}


def cls_n_upper(n, b, cl):  # A. L. Read, J. Phys. G 28 (2002) 2693
    den = stats.poisson.cdf(n, b)
    return optimize.brentq(lambda s: stats.poisson.cdf(n, s + b) / den - (1 - cl), 0, 100 + 10 * n, xtol=1e-13)


def bayes_upper(m, cl):
    """Flat prior on s >= 0, nuisances integrated with scipy.integrate.quad."""
    n = m.n

    def like_int(S, nu, eps):  # int_0^S Pois(n | s eps + nu) ds
        return (stats.gamma.sf(nu, n + 1) - stats.gamma.sf(S * eps + nu, n + 1)) / eps if True else 0

    def marg(S):
        def over_b(eps):
            if m.kind == "none":
                return like_int(S, m.b, eps)
            if m.kind == "poisson":
                k, rate = m.aux + 1, m.tau / m.b
                f = lambda nu: like_int(S, nu, eps) * stats.gamma.pdf(nu, k, scale=1 / rate)
                mean, sd = k / rate, math.sqrt(k) / rate
                return integrate.quad(f, max(0, mean - 12 * sd), mean + 12 * sd, epsabs=0, epsrel=1e-11, limit=400)[0]
            if m.kind == "gauss":
                f = lambda th: like_int(S, m.b + m.sigma_b * th, eps) * N.pdf(th)
                lo = max(-9, -m.b / m.sigma_b)
                return integrate.quad(f, lo, 9, epsabs=0, epsrel=1e-11, limit=400)[0]
            f = lambda th: like_int(S, m.b * math.exp(m.lnk * th), eps) * N.pdf(th)
            return integrate.quad(f, -9, 9, epsabs=0, epsrel=1e-11, limit=400)[0]

        if m.lnke == 0:
            return over_b(1.0)
        return integrate.quad(lambda te: over_b(math.exp(m.lnke * te)) * N.pdf(te), -8, 8, epsabs=0, epsrel=1e-10, limit=200)[0]

    tot = marg(1e4 + 50 * (n + m.b))
    return optimize.brentq(lambda S: marg(S) / tot - cl, 0, 10 * (n + m.b + 10), xtol=1e-10) / m.s_ref


def fc_interval(n0, b, cl, step=0.001):
    """Feldman & Cousins, PRD 57 (1998) 3873: grid in mu, likelihood-ratio ordering."""
    ns = np.arange(0, int(n0 + b + 80))

    def accepted(mu):
        p = stats.poisson.pmf(ns, mu + b)
        best = np.maximum(0, ns - b)
        r = p / stats.poisson.pmf(ns, best + b)
        order = np.lexsort((ns, -r))
        c = np.cumsum(p[order])
        k = int(np.searchsorted(c, cl)) + 1
        acc = ns[order[:k]]
        return acc.min() <= n0 <= acc.max()

    mus = np.arange(0, n0 + 12 + 6 * math.sqrt(n0 + 1), step)
    inside = np.array([accepted(mu) for mu in mus])
    idx = np.nonzero(inside)[0]
    return {"lower": float(mus[idx[0]]), "upper": float(mus[idx[-1]]), "step": step}


MODELS = [
    dict(n=5, b=5.0, s_ref=3.0, sigma_b=1.0, kind="poisson"),
    dict(n=3, b=5.0, sigma_b=1.0, kind="gauss"),
    dict(n=12, b=7.5, s_ref=2.0, sigma_b=2.0, kind="lognormal"),
    dict(n=0, b=0.8, sigma_b=0.3, kind="poisson"),
    dict(n=50, b=40.0, s_ref=10.0, sigma_b=5.0, kind="gauss", eff_unc=0.1),
    dict(n=4, b=2.5, s_ref=1.5),
    dict(n=1000, b=980.0, s_ref=40.0, sigma_b=30.0, kind="poisson"),
]

out = {"generator": "test/golden/make_stats_golden.py", "numpy": np.__version__, "scipy": __import__("scipy").__version__,
       "poisson_upper": [], "cls_n_upper": [], "bayes_upper": [], "fc": [], "asymptotic": []}
for n in range(0, 6):
    for cl in (0.9, 0.95):
        out["poisson_upper"].append({"n": n, "cl": cl, "upper": float(stats.chi2.ppf(cl, 2 * (n + 1)) / 2)})
for n, b in [(0, 1.0), (1, 1.0), (3, 2.5), (10, 7.3), (2, 0.0)]:
    for cl in (0.9, 0.95):
        out["cls_n_upper"].append({"n": n, "b": b, "cl": cl, "upper": cls_n_upper(n, b, cl)})
for i, md in enumerate(MODELS[:6]):
    m = Model(**md)
    out["bayes_upper"].append({"model": md, "cl": 0.9, "upper": bayes_upper(m, 0.9)})
for n0, b in [(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.0), (4, 1.0), (7, 2.0), (10, 4.0)]:
    out["fc"].append({"n": n0, "b": b, "cl": 0.9, **fc_interval(n0, b, 0.9)})
for md in MODELS:
    m = Model(**md)
    out["asymptotic"].append({"model": md, "hypotest": hypotest(m), "upper95": upper_asym(m, 0.95), "discovery": discovery(m)})
print(json.dumps(out, indent=1))
