"""pyhf as the same-run peer of darkscan's binned-likelihood fits (issue 13, bench/).

  python3 bench/pyhf_peer.py WS.json [--patchset PS.json] [--items N] [--max-items K]
                             [--ntoys T] [--poi-value MU] [--reps R]

Items: one per patch of the patchset (the patch applied to WS.json, as pyhf's PatchSet.apply),
or N copies of WS.json without one. Per item pyhf (numpy backend, scipy optimizer, defaults)
runs an unconditional MLE fit and a fit with the POI fixed at MU: fits/s counts both. Building
the models (pyhf.Model, patching) is timed apart. With --max-items only the first K items are
fitted (pyhf is slow on 10 000 patches): the rate is over those. Toys: one toybased hypotest
(qtilde, at MU) with T toys per hypothesis on each of the first --toy-items items (default 1);
toys/s counts 2 T per item (signal+background and background-only), each toy being two fits. Prints one JSON line with the versions, timings,
rates and the first item's answers (mu-hat, twice_nll) so the caller can check it fitted the same
thing. Needs pyhf 0.7.6 on PYTHONPATH, e.g. PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3.
"""

import argparse
import json
import logging
import os
import platform
import time

import numpy as np
import pyhf
import scipy


def median(xs):
    s = sorted(xs)
    return s[(len(s) - 1) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace")
    ap.add_argument("--patchset")
    ap.add_argument("--items", type=int, default=1, help="copies of the workspace when there is no patchset")
    ap.add_argument("--max-items", type=int, default=0, help="fit only the first K items (0: all)")
    ap.add_argument("--ntoys", type=int, default=50, help="toys per hypothesis for toys/s (0: skip)")
    ap.add_argument("--toy-items", type=int, default=1, help="items the toys run on (the first K fitted items)")
    ap.add_argument("--poi-value", type=float, default=1.0)
    ap.add_argument("--reps", type=int, default=1, help="repeat the fits; the median is reported")
    ap.add_argument("--seed", type=int, default=12345)
    a = ap.parse_args()
    logging.getLogger("pyhf").setLevel(logging.ERROR)
    pyhf.set_backend("numpy", "scipy")

    with open(a.workspace, encoding="utf-8") as f:
        ws = pyhf.Workspace(json.load(f))
    t0 = time.perf_counter()
    if a.patchset:
        with open(a.patchset, encoding="utf-8") as f:
            ps = pyhf.PatchSet(json.load(f))
        names = [p.name for p in ps]
        total = len(names)
        take = names[: a.max_items] if a.max_items else names
        workspaces = [ps.apply(ws, n) for n in take]
    else:
        total = a.items
        take = range(min(a.items, a.max_items) if a.max_items else a.items)
        workspaces = [ws for _ in take]
    items = []
    for w in workspaces:
        model = w.model()
        items.append((model, w.data(model)))
    build_s = time.perf_counter() - t0

    times, first = [], None
    for _ in range(a.reps):
        t0 = time.perf_counter()
        for model, data in items:
            best, nll = pyhf.infer.mle.fit(data, model, return_fitted_val=True)
            _, nll_mu = pyhf.infer.mle.fixed_poi_fit(a.poi_value, data, model, return_fitted_val=True)
            if first is None:
                first = {"mu_hat": float(best[model.config.poi_index]), "twice_nll": float(nll), "twice_nll_fixed_poi": float(nll_mu)}
        times.append(time.perf_counter() - t0)
    fit_s = median(times)
    n = len(items)
    out = {
        "peer": "pyhf",
        "pyhf": pyhf.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
        "backend": "numpy",
        "optimizer": "scipy (SLSQP, pyhf defaults)",
        "threads": os.environ.get("OMP_NUM_THREADS", "unset"),
        "workspace": os.path.basename(a.workspace),
        "workspace_digest": pyhf.utils.digest(ws),
        "patchset": os.path.basename(a.patchset) if a.patchset else None,
        "items_total": total,
        "items_fitted": n,
        "poi_value": a.poi_value,
        "build_s": build_s,
        "fit_s": fit_s,
        "fit_s_all": times,
        "items_per_s": n / fit_s,
        "fits_per_s": 2 * n / fit_s,
        "first": first,
    }
    if a.ntoys > 0:
        np.random.seed(a.seed)  # pyhf's toy calculator samples from numpy's global RNG
        k = max(1, min(a.toy_items, len(items)))
        t0 = time.perf_counter()
        cls = [float(pyhf.infer.hypotest(a.poi_value, data, model, test_stat="qtilde", calctype="toybased", ntoys=a.ntoys, track_progress=False)) for model, data in items[:k]]
        toy_s = time.perf_counter() - t0
        out.update({"ntoys": a.ntoys, "toy_items": k, "toy_seed": a.seed, "toy_s": toy_s, "toys_per_s": 2 * a.ntoys * k / toy_s, "toy_fits_per_s": 4 * a.ntoys * k / toy_s, "toy_CLs_obs": cls[0]})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
