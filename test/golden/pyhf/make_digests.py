"""pyhf.utils.digest of every fixture workspace and of every patched workspace (issue 13).

Run: PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/make_digests.py
(from the repository root). Writes test/golden/pyhf/digests.json.
"""

import json
import platform
import sys
from pathlib import Path

import jsonpatch
import pyhf

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "test" / "fixtures" / "pyhf"


def load(p):
    return json.loads(p.read_text(encoding="utf-8"))


def main():
    out = {
        "generator": {
            "command": "PYTHONPATH=/work/shared/peers/pyhf/src /usr/bin/python3 test/golden/pyhf/make_digests.py",
            "pyhf": pyhf.__version__,
            "jsonpatch": jsonpatch.__version__,
            "python": platform.python_version(),
        },
        "workspaces": {},
        "patched": {},
    }
    for p in sorted(FIX.glob("*/*.json")):
        rel = p.relative_to(FIX).as_posix()
        if p.name == "expected.json" or p.name.endswith("_patchset.json"):
            continue
        ws = pyhf.Workspace(load(p))
        out["workspaces"][rel] = {"sha256": pyhf.utils.digest(ws, "sha256"), "md5": pyhf.utils.digest(ws, "md5")}
    for p in sorted(FIX.glob("patchsets/*_patchset.json")):
        bkg = pyhf.Workspace(load(p.with_name(p.name.replace("_patchset", "_bkg"))))
        ps = pyhf.PatchSet(load(p))
        rel = p.relative_to(FIX).as_posix()
        out["patched"][rel] = {patch.name: pyhf.utils.digest(ps.apply(bkg, patch.name), "sha256") for patch in ps}
    dest = Path(__file__).resolve().parent / "digests.json"
    dest.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
