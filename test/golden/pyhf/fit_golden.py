"""pyhf 0.7.6's numbers on patches of an exported fit-model patchset (issue 15, item 3).

Shared by the make_golden.py scripts of the fit-search goldens (zprime-mumu-fit, b-kplus-llp-fit):
for each named patch pyhf reads the patchset (PatchSet.apply checks the background-only workspace's
digest), builds the model with its defaults (numpy, SLSQP) and computes:
  upper_limit  pyhf.infer.intervals.upper_limits.upper_limit, scan=None (toms748), at CL,
               qtilde, asymptotics: obs, exp (5)
  discovery    hypotest(0, test_stat="q0"): p0; q0 and z = sqrt(q0)
  fit          pyhf.infer.mle.fit: mu-hat and twice_nll
"""

import json
import math
import platform
from pathlib import Path

import numpy as np
import pyhf


def write_golden(here: Path, patches, cl):
    """Writes here/golden.json from here/bkgonly.json and here/patchset.json."""
    ws = pyhf.Workspace(json.loads((here / "bkgonly.json").read_text()))
    ps = pyhf.PatchSet(json.loads((here / "patchset.json").read_text()))
    out = {
        "pyhf_version": pyhf.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cl": cl,
        "patches": {},
    }
    for name in patches:
        pws = pyhf.Workspace(ps.apply(ws, name))
        model = pws.model()
        data = pws.data(model)
        obs, exp = pyhf.infer.intervals.upper_limits.upper_limit(data, model, scan=None, level=round(1 - cl, 2))
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
    (here / "golden.json").write_text(json.dumps(out, indent=1) + "\n")
