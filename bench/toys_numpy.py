"""Vectorised numpy toys, the peer of darkscan's toys_qtilde kernel (bench/toys.ts).

Reads the window rows darkscan built (rows.f64: s, b, tau, gamma_sb, gamma_b, n_obs, m_obs per window;
model: Poisson auxiliary measurement m ~ Poisson(tau gamma), pyhf's shapesys) and, per window,
draws K signal+background and K background-only toys (n and m), computes q~_mu of each with the
same closed-form profile (float64, numpy.random.Generator(PCG64).poisson) and counts the toys with
q~ >= q~_obs: the same work as darkscan's toyCounts. q~_obs comes from this file's own function
(so that a toy equal to the observation ties exactly, as darkscan's f32 q~_obs does with its kernel). Prints one JSON line: timing and CLs+b, CLb.
Usage: python3 bench/toys_numpy.py DIR K REPS
"""
import json
import sys
import time

import numpy as np


def dev(n, lam):
    # Poisson deviance 2 [lam - n + n ln(n / lam)], 2 lam at n = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(n > 0, n * np.log(np.where(n > 0, n, 1.0) / lam), 0.0)
    return 2.0 * (lam - n + t)


def pos_root(A, B, C):
    D = np.sqrt(B * B + 4.0 * A * C)
    with np.errstate(divide="ignore", invalid="ignore"):
        alt = np.where(C > 0, 2.0 * C / (B + D), 0.0)
    return np.where(B <= 0, (D - B) / (2.0 * A), alt)


def prof(n, m, sp, b, tau):
    k = tau / b
    A = 1.0 + k
    nu = pos_root(A, A * sp - n - m, m * sp)
    return dev(n, sp + nu) + dev(m, k * nu)


def qtilde(n, m, s, b, tau):
    b0 = b * m / tau
    tmu = prof(n, m, s, b, tau)
    t0 = prof(n, m, np.zeros_like(s), b, tau)
    q = np.where(n >= b0, tmu, tmu - t0)
    q = np.where(n >= s + b0, 0.0, q)
    return np.maximum(q, 0.0)


def run(rows, K, rng, chunk_items=1 << 22):
    W = rows.shape[0]
    nsb = np.zeros(W, dtype=np.int64)
    nb = np.zeros(W, dtype=np.int64)
    per = max(1, chunk_items // K)
    for a in range(0, W, per):
        r = rows[a:a + per]
        s, b, tau, gsb, gb, no, mo = (r[:, j:j + 1] for j in range(7))
        qo = qtilde(no, mo, s, b, tau)
        shape = (r.shape[0], K)
        n = rng.poisson(np.broadcast_to(s + gsb * b, shape)).astype(np.float64)
        m = rng.poisson(np.broadcast_to(tau * gsb, shape)).astype(np.float64)
        nsb[a:a + per] = (qtilde(n, m, s, b, tau) >= qo).sum(axis=1)
        n = rng.poisson(np.broadcast_to(gb * b, shape)).astype(np.float64)
        m = rng.poisson(np.broadcast_to(tau * gb, shape)).astype(np.float64)
        nb[a:a + per] = (qtilde(n, m, s, b, tau) >= qo).sum(axis=1)
    return nsb, nb


def main():
    d, K, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rows = np.fromfile(f"{d}/rows.f64", dtype=np.float64).reshape(-1, 7)
    rng = np.random.default_rng(12345)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        nsb, nb = run(rows, K, rng)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"numpy": np.__version__, "method": "numpy Generator.poisson + vectorised float64 q~ (chunks of 2^22 toys)",
                      "median_s": sorted(times)[(len(times) - 1) // 2], "all_s": times,
                      "clsb_first": float(nsb[0] / K), "clb_first": float(nb[0] / K)}))


if __name__ == "__main__":
    main()
