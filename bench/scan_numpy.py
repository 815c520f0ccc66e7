"""Vectorised numpy window scan, the peer of darkscan's window_count kernel (bench/scan.ts).

Reads the quantised f32 event coordinates and the 8-word window records that darkscan built
(x.f32, y.f32, win.u32 in DIR), scans them REPS times and writes the per-window counts
(counts.u32) and a JSON timing line. Method: events sorted by x once; per window,
np.searchsorted picks the events in the window's x band and the membership test runs vectorised
over that slice in float32 with the same operation order as the kernel, so the counts must equal
darkscan's bit for bit. Without a third argument the sort is done once, untimed (the peer of the
kernel alone); with `e2e` the input is in event order and every rep times the sort too (the peer
of darkscan's end-to-end scan, binning included), reported as sort_s and median_s.
"""
import json
import sys
import time

import numpy as np


def scan(xs, ys, cx, cy, ia, ib, lo, hi):
    counts = np.empty(len(cx), dtype=np.uint32)
    one = np.float32(1.0)
    for i in range(len(cx)):
        a, b = lo[i], hi[i]
        dx = xs[a:b] - cx[i]
        dy = ys[a:b] - cy[i]
        t = (dx * dx) * ia[i] + (dy * dy) * ib[i]
        counts[i] = np.count_nonzero(t <= one)
    return counts


def main():
    d, reps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    e2e = len(sys.argv) > 3 and sys.argv[3] == "e2e"
    x = np.fromfile(f"{d}/x.f32", dtype=np.float32)
    y = np.fromfile(f"{d}/y.f32", dtype=np.float32)
    w = np.fromfile(f"{d}/win.u32", dtype=np.uint32).reshape(-1, 8)
    cx, cy, ia, ib = (w[:, j].view(np.float32) for j in range(4))
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    # x band of each window: |dx| <= ax (1 + 1e-4) + slack, ax from 1/ax^2 (a superset of the f32 test).
    ax = 1.0 / np.sqrt(ia.astype(np.float64))
    pad = ax * 1.0001 + 1e-6 * (np.abs(cx) + ax) + 2 ** -23
    times, sorts, cpus, sort_cpus = [], [], [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        if e2e:
            order = np.argsort(x, kind="stable")
            xs, ys = x[order], y[order]
            sorts.append(time.perf_counter() - t0)
            sort_cpus.append(time.process_time() - c0)
        lo = np.searchsorted(xs, cx - pad, side="left")
        hi = np.searchsorted(xs, cx + pad, side="right")
        counts = scan(xs, ys, cx, cy, ia, ib, lo, hi)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    counts.tofile(f"{d}/counts.u32")
    med = lambda v: sorted(v)[(len(v) - 1) // 2]
    print(json.dumps({"numpy": np.__version__, "method": "x-sorted searchsorted + vectorised f32 test per window" + (", sort timed" if e2e else ""),
                      "median_s": med(times), "all_s": times, **({"sort_s": med(sorts), "sort_cpu_s": med(sort_cpus), "cpu_s": med(cpus), "best_s": min(times), "cpu_best_s": min(cpus)} if e2e else {})}))


if __name__ == "__main__":
    main()
