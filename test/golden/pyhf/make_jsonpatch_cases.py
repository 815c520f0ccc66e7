"""Random RFC 6902 patches applied by python-jsonpatch (the library pyhf's PatchSet uses), as
known answers for engine/likelihood/jsonpatch.ts: each case is a document and a patch (JSON text,
so ints and floats stay apart) and either the result as json.dumps(sort_keys=True) prints it or the
name of the exception python-jsonpatch raised.

Run from the repository root: /usr/bin/python3 test/golden/pyhf/make_jsonpatch_cases.py
Writes test/golden/pyhf/jsonpatch_cases.json.
"""

import json
import random
from pathlib import Path

import jsonpatch
import jsonpointer

SEED = 13


def paths(doc, prefix=""):
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += paths(v, f"{prefix}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += paths(v, f"{prefix}/{i}")
    return out


def value(rng):
    return rng.choice([1, 1.0, 2.5, 0, -3, 1e-05, 1e16, True, None, "x", [1, 2.0], {"k": 1.0}, {"name": "s", "data": [3, 4.0]}])


def doc(rng):
    return {
        "a": [1.0, 2, 3.5],
        "b": {"c~d": 1, "e/f": [2.0, {"g": 0}]},
        "h": "text",
        "i": [[1, 2], {"j": 1e-07}],
        "": rng.choice([0, 0.0]),
    }


def op(rng, d):
    ps = paths(d)
    kind = rng.choice(["add", "remove", "replace", "test", "move", "copy"])
    p = rng.choice(ps)
    if kind == "add" and rng.random() < 0.5:
        p = p + "/" + rng.choice(["-", "0", "1", "9", "new", "01"])
    if rng.random() < 0.1:
        p = p + "/missing"
    o = {"op": kind, "path": p}
    if kind in ("add", "replace"):
        o["value"] = value(rng)
    if kind == "test":
        o["value"] = rng.choice([value(rng), jsonpointer.resolve_pointer(d, p, None)])
    if kind in ("move", "copy"):
        o["from"] = rng.choice(ps)
    return o


def main():
    rng = random.Random(SEED)
    cases = []
    for _ in range(400):
        d = doc(rng)
        ops = [op(rng, d) for _ in range(rng.randint(1, 4))]
        case = {"doc": json.dumps(d), "patch": json.dumps(ops)}
        try:
            out = jsonpatch.apply_patch(json.loads(case["doc"]), json.loads(case["patch"]))
            case["result"] = json.dumps(out, sort_keys=True, ensure_ascii=False)
        except Exception as e:  # noqa: BLE001 - the exception class is the answer
            case["error"] = type(e).__name__
        cases.append(case)
    dest = Path(__file__).resolve().parent / "jsonpatch_cases.json"
    meta = {"generator": "test/golden/pyhf/make_jsonpatch_cases.py", "jsonpatch": jsonpatch.__version__, "jsonpointer": jsonpointer.__version__, "seed": SEED}
    dest.write_text(json.dumps({"meta": meta, "cases": cases}, indent=0) + "\n", encoding="utf-8")
    print(sum("error" in c for c in cases), "errors of", len(cases))


if __name__ == "__main__":
    main()
