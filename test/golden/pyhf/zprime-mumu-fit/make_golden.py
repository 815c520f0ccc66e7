"""Golden values from pyhf 0.7.6 for darkscan's fit-model search (issue 15, item 3).

bkgonly.json and patchset.json here are what
  node bin/darkscan.js run --config test/golden/pyhf/zprime-mumu-fit/config.json --out OUT \
      --export-pyhf test/golden/pyhf/zprime-mumu-fit
wrote (Z' -> mu mu, one patch per mass hypothesis near 3 GeV, an injected Z' at 3 GeV). For the
patches below pyhf reads the patchset (PatchSet.apply checks the background-only workspace's
digest), builds the model with its defaults (numpy, SLSQP) and computes:
  upper_limit  pyhf.infer.intervals.upper_limits.upper_limit, scan=None (toms748), 90% CL (level 0.10),
               qtilde, asymptotics: obs, exp (5)
  discovery    hypotest(0, test_stat="q0"): p0; q0 and z = sqrt(q0)
  fit          pyhf.infer.mle.fit: mu-hat and twice_nll
Run from the repository root (a few seconds):
  PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/zprime-mumu-fit/make_golden.py
Writes test/golden/pyhf/zprime-mumu-fit/golden.json.
"""

import json
import math
import platform
from pathlib import Path

import numpy as np
import pyhf

HERE = Path(__file__).resolve().parent
PATCHES = ["mass_3p00189_GeV", "mass_2p95000_GeV"]
CL = 0.90


def main():
    ws = pyhf.Workspace(json.loads((HERE / "bkgonly.json").read_text()))
    ps = pyhf.PatchSet(json.loads((HERE / "patchset.json").read_text()))
    out = {
        "pyhf_version": pyhf.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cl": CL,
        "patches": {},
    }
    for name in PATCHES:
        pws = pyhf.Workspace(ps.apply(ws, name))
        model = pws.model()
        data = pws.data(model)
        obs, exp = pyhf.infer.intervals.upper_limits.upper_limit(data, model, scan=None, level=round(1 - CL, 2))
        p0 = pyhf.infer.hypotest(0.0, data, model, test_stat="q0")
        init, bounds, fixed = model.config.suggested_init(), model.config.suggested_bounds(), model.config.suggested_fixed()
        q0 = float(pyhf.infer.test_statistics.q0(0.0, data, model, init, bounds, fixed))
        bestfit, twice_nll = pyhf.infer.mle.fit(data, model, return_fitted_val=True)
        poi = model.config.poi_index
        out["patches"][name] = {
            "upper_limit": {"obs": float(obs), "exp": [float(e) for e in exp]},
            "discovery": {"p0": float(p0), "q0": q0, "z": math.sqrt(max(q0, 0.0))},
            "fit": {"mu_hat": float(bestfit[poi]), "twice_nll": float(twice_nll)},
            "parameters": model.config.par_order,
        }
    (HERE / "golden.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
