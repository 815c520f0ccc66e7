"""Golden values from pyhf 0.7.6 for the B -> K S fit model (issue 15, item 3; Belle II PRD 108 (2023) L111104).

bkgonly.json and patchset.json here are what
  node bin/darkscan.js run --config test/golden/pyhf/b-kplus-llp-fit/config.json --out OUT \
      --export-pyhf test/golden/pyhf/b-kplus-llp-fit --backend wasm
wrote (B+ -> K+ S: one patch per (m_S, channel), binned fit of M_red; an injected S -> mu mu at
2.5 GeV). pyhf's upper limits (95% CL as the paper, qtilde), discovery p0 and best fits on the
patches below: ../fit_golden.py. Run from the repository root (a few seconds):
  PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/b-kplus-llp-fit/make_golden.py
Writes test/golden/pyhf/b-kplus-llp-fit/golden.json.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fit_golden import write_golden  # noqa: E402

PATCHES = ["mass_2p50000_GeV_mumu", "mass_2p00000_GeV_KK"]
CL = 0.95

if __name__ == "__main__":
    write_golden(HERE, PATCHES, CL)
