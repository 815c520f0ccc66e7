"""Golden values from pyhf 0.7.6 for darkscan's binned likelihoods (issue 13).

For every workspace in test/fixtures/pyhf/{validation,workspaces}/ and every patch of
test/fixtures/pyhf/patchsets/, with pyhf's defaults (numpy backend, scipy optimizer = SLSQP,
normsys interpolation code4, histosys code4p, measurement = the first one):
  fit            MLE: bestfit per parameter name (a list for a multi-bin parameter), twice_nll
                 (pyhf's -2 ln L at the best fit, constants included: twice_nll of pyhf.infer.mle)
                 and uncertainties (pyhf's return_uncertainties=True, which needs the minuit
                 optimizer: HESSE at its minimum; 0 for fixed parameters); uncertainties_fit is
                 that minuit fit itself (bestfit, twice_nll). SLSQP with pyhf's defaults can stop
                 short on large counts (large_counts: mu-hat 1.6639 vs minuit's 1.6592, twice_nll
                 higher by 2.9e-4; a tighter scipy tolerance does not reach minuit's minimum
                 either): compare best fits with whichever of the two has the lower twice_nll.
                 fit.hessian: uncertainties from a float64 finite-difference Hessian of pyhf's
                 -2 ln L at the best fit (minuit's HESSE is off by 0.3-4% on these workspaces:
                 1bin_shapesys sigma_mu 0.9830 vs 1.0196 from the analytic Hessian)
  fixed_poi_fit  the same with the POI fixed at 1 (no uncertainties)
  cls            asymptotic hypotest at POI = 1 with test_stat qtilde and q: CLs_obs, CLs_exp (5)
  discovery      q0 = pyhf.infer.test_statistics.q0 at 0, z = sqrt(q0), and hypotest(0, test_stat="q0"): p0, p0_exp (5)
  upper_limit    pyhf.infer.intervals.upper_limits.upper_limit (toms748_scan, rtol 1e-4,
                 atol 2e-12) at CL 95% and 90% (level 0.05, 0.10): obs, exp (5)
  toys           (a few small workspaces) toybased hypotest, qtilde, POI = 1, ntoys, seed
and for pyhf's validation cases also the result with the settings test_validation.py used
(modifier_settings={"normsys": {"interpcode": "code1"}}, which leaves histosys at the combined
modifier's own default, code0; its test statistic and POI value) beside the ROOT numbers.

Run from the repository root (about 10-20 minutes on one core):
  PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/make_golden.py
Writes test/golden/pyhf/results.json after every workspace. Options: --no-toys, --only SUBSTRING,
--resume (keep the entries of an existing results.json whose workspace digest is unchanged).
"""

import argparse
import logging
import json
import math
import platform
import sys
import time
from pathlib import Path

import iminuit
import numpy as np
import pyhf
import scipy
from scipy.stats import norm

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "test" / "fixtures" / "pyhf"
COMMAND = "PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/make_golden.py"
TOY_CASES = {"validation/1bin_shapesys.json", "validation/1bin_normsys.json", "validation/2bin_2channel_couplednorm.json"}
NTOYS = 2000
TOY_SEED = 20261130


def load(p):
    return json.loads(p.read_text(encoding="utf-8"))


def fl(x):
    x = float(x)
    return x if math.isfinite(x) else None


def by_name(model, vec):
    """Parameter vector -> {name: value or [values]} in model.config.par_order."""
    out = {}
    for name in model.config.par_order:
        sl = model.config.par_slice(name)
        vals = [fl(v) for v in np.asarray(vec)[sl]]
        out[name] = vals[0] if model.config.param_set(name).n_parameters == 1 else vals
    return out


def fits(model, data):
    pyhf.set_backend("numpy", "scipy")
    best, twice_nll = pyhf.infer.mle.fit(data, model, return_fitted_val=True)
    fixed, twice_nll_fixed = pyhf.infer.mle.fixed_poi_fit(1.0, data, model, return_fitted_val=True)
    pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-6))
    mres, m_twice_nll = pyhf.infer.mle.fit(data, model, return_uncertainties=True, return_fitted_val=True)
    pyhf.set_backend("numpy", "scipy")
    return {
        "fit": {
            "bestfit": by_name(model, best),
            "twice_nll": fl(twice_nll),
            "uncertainties": by_name(model, np.asarray(mres)[:, 1]),
            "uncertainties_fit": {"bestfit": by_name(model, np.asarray(mres)[:, 0]), "twice_nll": fl(m_twice_nll)},
        },
        "fixed_poi_fit": {"poi_value": 1.0, "bestfit": by_name(model, fixed), "twice_nll": fl(twice_nll_fixed)},
    }


def hessian_uncertainties(model, data, fit):
    """sqrt(diag(2 H^-1)), H the Hessian of pyhf's -2 ln L over the parameters that are not fixed, at the
    fit with the lower twice_nll, by central differences in float64 with steps of 1% of minuit's errors
    (so each step changes -2 ln L by ~1e-4, far above its rounding). Parameters whose best fit sits on a
    bound are listed in at_bound (uncertainties there depend on the convention; pyhf's minuit and a
    Hessian differ)."""
    ref = (fit["uncertainties_fit"] if fit["uncertainties_fit"]["twice_nll"] < fit["twice_nll"] else fit)["bestfit"]
    c = model.config
    theta = np.zeros(c.npars)
    sig = np.zeros(c.npars)
    for name in c.par_order:
        sl = c.par_slice(name)
        theta[sl] = np.atleast_1d(ref[name])
        sig[sl] = np.atleast_1d(fit["uncertainties"][name])
    fixed = np.asarray(c.suggested_fixed(), dtype=bool)
    bounds = np.asarray(c.suggested_bounds(), dtype=float)
    at_bound = [i for i in range(c.npars) if not fixed[i] and (theta[i] - bounds[i, 0] <= 1e-6 * max(1.0, abs(bounds[i, 0])) or bounds[i, 1] - theta[i] <= 1e-6 * max(1.0, abs(bounds[i, 1])))]
    free = [i for i in range(c.npars) if not fixed[i]]
    d = np.asarray(data, dtype=float)

    def f(t):
        return -2.0 * float(model.logpdf(t, d)[0])

    h = {i: 0.01 * (sig[i] if sig[i] > 0 else 0.01 * max(1.0, abs(theta[i]))) for i in free}
    f0 = f(theta)
    n = len(free)
    H = np.zeros((n, n))
    for a, i in enumerate(free):
        for b, j in enumerate(free):
            if b < a:
                continue
            if i == j:
                tp, tm = theta.copy(), theta.copy()
                tp[i] += h[i]
                tm[i] -= h[i]
                H[a, a] = (f(tp) - 2 * f0 + f(tm)) / h[i] ** 2
            else:
                vals = []
                for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                    t = theta.copy()
                    t[i] += si * h[i]
                    t[j] += sj * h[j]
                    vals.append(f(t))
                H[a, b] = H[b, a] = (vals[0] - vals[1] - vals[2] + vals[3]) / (4 * h[i] * h[j])
    unc = np.zeros(c.npars)
    try:
        cov = 2.0 * np.linalg.inv(H)
        unc[free] = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
    except np.linalg.LinAlgError:
        unc[free] = np.nan
    names = [f"{name}[{k}]" if c.param_set(name).n_parameters > 1 else name for name in c.par_order for k in range(c.param_set(name).n_parameters)]
    return {"uncertainties": by_name(model, unc), "at_bound": [names[i] for i in at_bound], "method": "central differences of -2 ln L (pyhf model.logpdf, float64), steps 1% of minuit's errors"}


def cls(model, data, poi_value=1.0):
    out = {}
    for ts in ("qtilde", "q"):
        obs, exp = pyhf.infer.hypotest(poi_value, data, model, test_stat=ts, calctype="asymptotics", return_expected_set=True)
        out[ts] = {"poi_value": poi_value, "CLs_obs": fl(obs), "CLs_exp": [fl(e) for e in exp]}
    return out


def discovery(model, data):
    c = model.config
    q0 = float(pyhf.infer.test_statistics.q0(0.0, data, model, c.suggested_init(), c.suggested_bounds(), c.suggested_fixed()))
    p0, p0_exp = pyhf.infer.hypotest(0.0, data, model, test_stat="q0", return_expected_set=True)
    return {"q0": fl(q0), "z": fl(math.sqrt(max(q0, 0.0))), "p0": fl(p0), "z_from_p0": fl(norm.isf(float(p0))), "p0_exp": [fl(e) for e in p0_exp]}


def upper_limits(model, data):
    out = {"method": "pyhf.infer.intervals.upper_limits.upper_limit, scan=None: toms748_scan (rtol 1e-4, atol 2e-12) between the POI bounds, qtilde, asymptotics"}
    for cl in (0.95, 0.90):
        obs, exp = pyhf.infer.intervals.upper_limits.upper_limit(data, model, scan=None, level=round(1 - cl, 2))
        out[f"{cl:.2f}"] = {"obs": fl(obs), "exp": [fl(e) for e in exp]}
    return out


def toys(model, data):
    np.random.seed(TOY_SEED)
    t0 = time.time()
    obs, exp = pyhf.infer.hypotest(1.0, data, model, test_stat="qtilde", calctype="toybased", ntoys=NTOYS, return_expected_set=True)
    return {
        "poi_value": 1.0,
        "test_stat": "qtilde",
        "ntoys": NTOYS,
        "seed": f"numpy.random.seed({TOY_SEED}) before hypotest (pyhf samples from numpy's global RNG)",
        "CLs_obs": fl(obs),
        "CLs_exp": [fl(e) for e in exp],
        "seconds": round(time.time() - t0, 1),
    }


def everything(ws, rel, with_toys):
    model = ws.model()
    data = ws.data(model)
    r = {
        "digest": pyhf.utils.digest(ws, "sha256"),
        "poi": model.config.poi_name,
        "par_order": list(model.config.par_order),
        "suggested_init": by_name(model, model.config.suggested_init()),
        "suggested_bounds": {n: b for n, b in zip(model.config.par_order, [[list(map(float, b)) for b in np.asarray(model.config.suggested_bounds())[model.config.par_slice(n)]] for n in model.config.par_order])},
        "fixed": by_name(model, model.config.suggested_fixed()),
    }
    r.update(fits(model, data))
    r["fit"]["hessian"] = hessian_uncertainties(model, data, r["fit"])
    r["cls"] = cls(model, data)
    r["discovery"] = discovery(model, data)
    r["upper_limit"] = upper_limits(model, data)
    if with_toys and rel in TOY_CASES:
        r["toys"] = toys(model, data)
    return r


def validation_settings(ws, case):
    """The result with test_validation.py's own settings (normsys code1 there)."""
    model = ws.model(modifier_settings={"normsys": {"interpcode": case["normsys_interpcode"]}, "histosys": {"interpcode": case["histosys_interpcode"]}})
    data = ws.data(model)
    ts = case["test_stat"]
    if case["calctype"] == "toybased":
        np.random.seed(0)  # as validate_hypotest does
        obs, exp = pyhf.infer.hypotest(case["poi_value"], data, model, test_stat=ts, calctype="toybased", return_expected_set=True)
        ntoys = 2000
    else:
        obs, exp = pyhf.infer.hypotest(case["poi_value"], data, model, test_stat=ts, calctype="asymptotics", return_expected_set=True)
        ntoys = None
    return {
        "normsys_interpcode": case["normsys_interpcode"],
        "histosys_interpcode": case["histosys_interpcode"],
        "test_stat": ts,
        "poi_value": case["poi_value"],
        "calctype": case["calctype"],
        "ntoys": ntoys,
        "pyhf": {"CLs_obs": fl(obs), "CLs_exp": [fl(e) for e in exp]},
        "root": case["root"],
        "pyhf_minus_root_max_abs": max(abs(float(a) - b) for a, b in zip([obs, *exp], [case["root"]["obs"], *case["root"]["exp"]])),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-toys", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args()
    dest = Path(__file__).resolve().parent / ("results.json" if not a.only else "results.partial.json")
    old = load(dest) if a.resume and dest.exists() else {"workspaces": {}, "patchsets": {}}

    def save():
        dest.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")

    logging.getLogger("pyhf.infer.test_statistics").setLevel(logging.ERROR)  # "qmu ... POI bounded at zero" (asked for on purpose)
    pyhf.set_backend("numpy", "scipy")
    out = {
        "generator": {
            "command": COMMAND,
            "pyhf": pyhf.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "iminuit": iminuit.__version__,
            "python": platform.python_version(),
            "backend": "numpy (float64)",
            "optimizer": "scipy (pyhf default: SLSQP); uncertainties from the minuit optimizer (HESSE)",
            "model": "ws.model() defaults: first measurement, normsys code4, histosys code4p",
        },
        "workspaces": {},
        "patchsets": {},
    }
    expected = load(FIX / "validation" / "expected.json")["cases"]
    for p in sorted(list(FIX.glob("validation/*.json")) + list(FIX.glob("workspaces/*.json"))):
        rel = p.relative_to(FIX).as_posix()
        if p.name == "expected.json" or a.only not in rel:
            continue
        t0 = time.time()
        ws = pyhf.Workspace(load(p))
        prev = old["workspaces"].get(rel)
        if prev and prev["digest"] == pyhf.utils.digest(ws) and ("toys" in prev or rel not in TOY_CASES or a.no_toys):
            r = prev
            if "hessian" not in r["fit"]:
                m = ws.model()
                r["fit"]["hessian"] = hessian_uncertainties(m, ws.data(m), r["fit"])
        else:
            r = everything(ws, rel, not a.no_toys)
        cases = {k: c for k, c in expected.items() if c["workspace"] == p.name and p.parent.name == "validation"}
        if cases:
            r["validation"] = {k: validation_settings(ws, c) for k, c in cases.items() if not (a.no_toys and c["calctype"] == "toybased")}
        out["workspaces"][rel] = r
        save()
        print(f"{rel}: {time.time() - t0:.1f} s", file=sys.stderr)
    for p in sorted(FIX.glob("patchsets/*_patchset.json")):
        rel = p.relative_to(FIX).as_posix()
        if a.only not in rel:
            continue
        bkg = pyhf.Workspace(load(p.with_name(p.name.replace("_patchset", "_bkg"))))
        ps = pyhf.PatchSet(load(p))
        out["patchsets"][rel] = {}
        for patch in ps:
            t0 = time.time()
            ws = ps.apply(bkg, patch.name)
            prev = old["patchsets"].get(rel, {}).get(patch.name)
            if prev and prev["digest"] == pyhf.utils.digest(ws):
                if "hessian" not in prev["fit"]:
                    m = ws.model()
                    prev["fit"]["hessian"] = hessian_uncertainties(m, ws.data(m), prev["fit"])
                out["patchsets"][rel][patch.name] = prev
                continue
            out["patchsets"][rel][patch.name] = {"values": list(patch.values), **everything(ws, rel, False)}
            save()
            print(f"{rel} {patch.name}: {time.time() - t0:.1f} s", file=sys.stderr)
    save()
    print(f"wrote {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
