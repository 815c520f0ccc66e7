"""Golden toy-based hypothesis tests from pyhf 0.7.6 (issue 14, item 5).

For a few committed workspaces, pyhf's ToyCalculator (calctype="toybased": toys generated at
fixed_poi_fit(mu) and fixed_poi_fit(0), or fixed_poi_fit(1) for q0, from numpy's global RNG) with
many toys: CLs+b, CLb, CLs (p0 for q0), the expected set (pyhf's expected_pvalues: percentiles
of the per-toy CLs over the background-like toys), and the statistical error of each:
  CLs          delta method on two independent binomial fractions (K toys each):
               sigma(CLs) = CLs sqrt((1 - CLs+b) / (K CLs+b) + (1 - CLb) / (K CLb))
  CLs+b, CLb   sqrt(p (1 - p) / K); p0 likewise
  CLs_exp      bootstrap standard deviation (BOOTSTRAP resamplings of both toy sets)
seconds is the calculator's time for both toy sets (2 ntoys toys, each two fits); toys_per_second
is ntoys / seconds (per hypothesis). Also the quantiles 0, 0.01, ..., 1 of the toys' test statistics (6 significant digits) so that a
test can compare whole distributions. The same quantities as hypotest(..., calctype="toybased", return_tail_probs=True,
return_expected_set=True), called through the calculator so that the samples are kept; the script
checks its vectorised expected set against pyhf's expected_pvalues on the original toys.

Run from the repository root (about 10-30 minutes on one core):
  PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/make_toys_golden.py
The committed toys.json: the default run for three cases; workspaces/llp_3ch_10bin.json with
--only llp_3ch --ntoys 2000 (pyhf ran ~1.4 toys/s on it on the loaded 2-core machine), and
couplednorm with --only, both merged by --merge-partial.
Writes test/golden/pyhf/toys.json. Options: --only SUBSTRING (writes toys.partial.SUBSTRING.json),
--ntoys K, --merge-partial (adds the cases of every toys.partial*.json to toys.json: cases run in
parallel processes; each case reseeds numpy, so its toys do not depend on the other cases).
"""

import argparse
import json
import logging
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pyhf
import scipy

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "test" / "fixtures" / "pyhf"
COMMAND = "PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/make_toys_golden.py"
SEED = 20261130
NTOYS = 10000
BOOTSTRAP = 200
# (workspace, POI value, test statistic): POI values where CLs is neither ~0 nor 1.
CASES = [
    ("validation/1bin_shapesys.json", 1.5, "qtilde"),  # 1 bin, Poisson (shapesys) constraint
    ("validation/2bin_histosys.json", 0.6, "qtilde"),  # histosys, Gaussian constraint
    ("workspaces/llp_3ch_10bin.json", 0.8, "qtilde"),  # 10 bins / 3 channels, low counts
    ("validation/2bin_2channel_couplednorm.json", 0.0, "q0"),  # discovery (p0 ~ 0.04 asymptotically)
]
QUANTILES = np.linspace(0.0, 1.0, 101)  # of the toys' test statistics (numpy's linear interpolation)
PERCENTILES = np.array([2.27501319, 15.86552539, 50.0, 84.13447461, 97.72498681])  # pyhf calculators.py


def fl(x):
    x = float(x)
    return x if math.isfinite(x) else None


def tail(samples_sorted, t):
    """EmpiricalDistribution.pvalue for each t: fraction of samples >= t."""
    return (len(samples_sorted) - np.searchsorted(samples_sorted, t, side="left")) / len(samples_sorted)


def expected_set(sb, b, is_q0):
    """pyhf ToyCalculator.expected_pvalues (CLs, or CLs+b for q0) with sorted searches."""
    sbs, bs = np.sort(sb), np.sort(b)
    clsb = tail(sbs, b)
    clb = tail(bs, b)
    vals = clsb if is_q0 else clsb / clb
    return np.percentile(vals, PERCENTILES)


def run_case(rel, mu, ts, ntoys, rng):
    ws = pyhf.Workspace(json.loads((FIX / rel).read_text(encoding="utf-8")))
    model = ws.model()
    data = ws.data(model)
    np.random.seed(SEED)
    t0 = time.time()
    calc = pyhf.infer.calculators.ToyCalculator(data, model, test_stat=ts, ntoys=ntoys, track_progress=False)
    q_obs = calc.teststatistic(mu)
    sb_dist, b_dist = calc.distributions(mu)
    clsb, clb, cls = calc.pvalues(q_obs, sb_dist, b_dist)
    _, _, cls_exp = calc.expected_pvalues(sb_dist, b_dist)
    csb_exp = calc.expected_pvalues(sb_dist, b_dist)[0]
    seconds = time.time() - t0
    sb, b = np.asarray(sb_dist.samples, float), np.asarray(b_dist.samples, float)
    is_q0 = ts == "q0"
    pyhf_exp = np.array([float(x) for x in (csb_exp if is_q0 else cls_exp)])
    mine = expected_set(sb, b, is_q0)
    if not np.allclose(mine, pyhf_exp, rtol=1e-12, atol=1e-15):
        sys.exit(f"{rel}: vectorised expected set {mine} differs from pyhf's {pyhf_exp}")
    boot = np.array([expected_set(sb[rng.integers(0, ntoys, ntoys)], b[rng.integers(0, ntoys, ntoys)], is_q0) for _ in range(BOOTSTRAP)])
    clsb, clb, cls = float(clsb), float(clb), float(cls)
    K = ntoys
    cls_err = cls * math.sqrt((1 - clsb) / (K * clsb) + (1 - clb) / (K * clb)) if clsb > 0 and clb > 0 else 1.0 / K
    out = {
        "poi_value": mu,
        "test_stat": ts,
        "ntoys": K,
        "seed": f"numpy.random.seed({SEED}) before the calculator (pyhf samples from numpy's global RNG)",
        "q_obs": fl(q_obs),
        "CLsb": clsb,
        "CLb": clb,
        "CLsb_error": math.sqrt(clsb * (1 - clsb) / K),
        "CLb_error": math.sqrt(clb * (1 - clb) / K),
        "CLs_exp": [fl(x) for x in pyhf_exp],
        "CLs_exp_error": [fl(x) for x in boot.std(axis=0, ddof=1)],
        "seconds": round(seconds, 1),
        "toys_per_second": round(K / seconds, 1),
        "q_sb_quantiles": [fl(f"{x:.6g}") for x in np.quantile(sb, QUANTILES)],
        "q_b_quantiles": [fl(f"{x:.6g}") for x in np.quantile(b, QUANTILES)],
    }
    if is_q0:
        out.update({"p0": clsb, "p0_error": out["CLsb_error"]})
    else:
        out.update({"CLs_obs": cls, "CLs_obs_error": cls_err})
    # Asymptotic CLs (p0) at the same point for reference.
    if is_q0:
        out["asymptotic"] = {"p0": fl(pyhf.infer.hypotest(mu, data, model, test_stat=ts))}
    else:
        obs, exp = pyhf.infer.hypotest(mu, data, model, test_stat=ts, return_expected_set=True)
        out["asymptotic"] = {"CLs_obs": fl(obs), "CLs_exp": [fl(e) for e in exp]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--ntoys", type=int, default=NTOYS)
    ap.add_argument("--merge-partial", action="store_true")
    a = ap.parse_args()
    if a.merge_partial:
        here = Path(__file__).resolve().parent
        full = json.loads((here / "toys.json").read_text())
        for p in sorted(here.glob("toys.partial*.json")):
            part = json.loads(p.read_text())
            full["cases"].update(part["cases"])
            p.unlink()
        full["cases"] = {k: full["cases"][k] for k in [f"{r}@{t}:{m}" for r, m, t in CASES] if k in full["cases"]}
        (here / "toys.json").write_text(json.dumps(full, indent=1) + "\n", encoding="utf-8")
        return
    logging.getLogger("pyhf.infer.test_statistics").setLevel(logging.ERROR)
    pyhf.set_backend("numpy", "scipy")
    dest = Path(__file__).resolve().parent / ("toys.json" if not a.only else f"toys.partial.{''.join(c for c in a.only if c.isalnum() or c in '_-')}.json")
    out = {
        "generator": {
            "command": COMMAND,
            "pyhf": pyhf.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "backend": "numpy (float64), scipy optimizer (SLSQP)",
            "model": "ws.model() defaults: first measurement, normsys code4, histosys code4p",
            "errors": "CLs: delta method, binomial CLs+b and CLb; CLs_exp: bootstrap sd over %d resamplings" % BOOTSTRAP,
        },
        "cases": {},
    }
    rng = np.random.default_rng(SEED + 1)
    for rel, mu, ts in CASES:
        if a.only not in rel:
            continue
        t0 = time.time()
        out["cases"][f"{rel}@{ts}:{mu}"] = {"workspace": rel, **run_case(rel, mu, ts, a.ntoys, rng)}
        dest.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"{rel} {ts} mu={mu}: {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
