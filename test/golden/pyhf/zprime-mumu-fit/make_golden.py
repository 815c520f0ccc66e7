"""Golden values from pyhf 0.7.6 for darkscan's fit-model search (issue 15, item 3).

bkgonly.json and patchset.json here are what
  node bin/darkscan.js run --config test/golden/pyhf/zprime-mumu-fit/config.json --out OUT \
      --export-pyhf test/golden/pyhf/zprime-mumu-fit
wrote (Z' -> mu mu, one patch per mass hypothesis near 3 GeV, an injected Z' at 3 GeV). pyhf's
upper limits (90% CL, qtilde), discovery p0 and best fits on the patches below: ../fit_golden.py.
Run from the repository root (a few seconds):
  PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/zprime-mumu-fit/make_golden.py
Writes test/golden/pyhf/zprime-mumu-fit/golden.json.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fit_golden import write_golden  # noqa: E402

PATCHES = ["mass_3p00189_GeV", "mass_2p95000_GeV"]
CL = 0.90

if __name__ == "__main__":
    write_golden(HERE, PATCHES, CL)
