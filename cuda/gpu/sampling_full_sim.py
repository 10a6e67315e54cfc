#!/usr/bin/env python3
# Development aid, not part of the build: a model of cuda/src/main/cuda/sampling_full.cu's
# sample_rows_full (the radix passes with the lane-by-lane digit selection of select_by_count and
# select_by_mass, the tie ranking of top_p and the chunked draw of 512 threads) against a plain
# sort-based model of the engine's CPU Sampler order, for checking edits to the kernel on a machine
# without a GPU. Keep it in step with the kernel. Usage: python3 cuda/gpu/sampling_full_sim.py [rows]
import math, sys
import numpy as np

THREADS, BINS, PROMPT_FLAG = 512, 256, 1 << 30
f32 = np.float32


def order_key(x):
    x = np.where(x == 0, f32(0), x).astype(f32)
    b = x.view(np.uint32)
    return np.where(b & 0x80000000, ~b, b | 0x80000000).astype(np.uint32)


def key_value(k):
    k = np.uint32(k)
    b = (k & 0x7FFFFFFF) if (k & 0x80000000) else (~k & 0xFFFFFFFF)
    return np.array([b], dtype=np.uint32).view(f32)[0]


def penalized(logits, counts, scale, rep, freq, pres):
    x = logits.astype(f32).copy()
    if counts is not None:
        seen = counts != 0
        if rep != f32(1):
            x = np.where(seen, np.where(x > 0, x / rep, x * rep), x).astype(f32)
        n = counts & (PROMPT_FLAG - 1)
        sub = (freq * n.astype(np.float64) + pres).astype(f32)
        x = np.where(n != 0, x - sub, x).astype(f32)
    return (x * f32(scale)).astype(f32)


def select_by_count(cnt, rem):
    for lane in range(32):  # each lane's test is independent; exactly one passes
        hi = BINS - 1 - 8 * lane
        t = sum(int(cnt[hi - j]) for j in range(8))
        incl = sum(int(cnt[BINS - 1 - 8 * l - j]) for l in range(lane + 1) for j in range(8))
        c = incl - t
        if c < rem <= incl:
            for j in range(8):
                n = int(cnt[hi - j])
                if c + n >= rem:
                    return hi - j, c, n
                c += n
    raise AssertionError("no digit holds the rank")


def select_by_mass(cnt, bmass, above, needed):
    lane_t = [sum(bmass[BINS - 1 - 8 * l - j] for j in range(8)) for l in range(32)]
    incl = np.cumsum(lane_t)
    hits, lasts = [], []
    for lane in range(32):
        hi = BINS - 1 - 8 * lane
        c = incl[lane - 1] if lane > 0 else 0.0
        hit = last = None
        for j in range(8):
            d = hi - j
            if cnt[d] == 0:
                continue
            if above + c + bmass[d] >= needed:
                hit = (d, c, int(cnt[d]))
                break
            last = (d, c, int(cnt[d]))
            c += bmass[d]
        hits.append(hit)
        lasts.append(last)
    for h in hits:
        if h is not None:
            return h
    for l in reversed(lasts):
        if l is not None:
            return l
    raise AssertionError("no candidate with mass")


def kernel(logits, counts, inv_t, log_min_p, u, top_k, rep, top_p, freq, pres):
    V = len(logits)
    scale = f32(1) if inv_t == 0 else f32(inv_t)
    x1 = penalized(logits, counts, scale, f32(rep), freq, pres)
    arg = int(np.argmax(x1))  # numpy: first among equal maxima, as the kernel's reduction
    mx = x1[arg]
    if inv_t == 0 or not mx > -np.inf:
        return arg
    min_thr = -np.inf if not log_min_p > -np.inf else float(mx) + log_min_p  # the double word
    x2 = np.where(x1.astype(np.float64) < min_thr, f32(-np.inf), x1).astype(f32)
    kth = f32(-np.inf)
    if 0 < top_k < V:
        keys = order_key(x2)
        prefix = mask = 0
        rem = top_k
        for shift in (24, 16, 8, 0):
            cand = (keys & np.uint32(mask)) == np.uint32(prefix)
            cnt = np.bincount(((keys[cand] >> np.uint32(shift)) & 255).astype(np.int64), minlength=BINS)
            d, above, _ = select_by_count(cnt, rem)
            prefix |= d << shift
            mask |= 255 << shift
            rem -= above
        kth = key_value(prefix)
    x3 = np.where(x2 < kth, f32(-np.inf), x2).astype(f32)
    live = x3 != -np.inf
    m = np.zeros(V)
    m[live] = np.exp((x3[live] - mx).astype(f32).astype(np.float64))
    use_p = top_p < 1.0
    vkey = 0
    ties = keep = 0
    if use_p:
        needed = top_p * m.sum()
        keys = order_key(x3)
        prefix = mask = 0
        above = 0.0
        for shift in (24, 16, 8, 0):
            cand = ((keys & np.uint32(mask)) == np.uint32(prefix)) & (m > 0)
            digits = ((keys[cand] >> np.uint32(shift)) & 255).astype(np.int64)
            cnt = np.bincount(digits, minlength=BINS)
            bmass = np.bincount(digits, weights=m[cand], minlength=BINS)
            d, a, n = select_by_mass(cnt, bmass, above, needed)
            prefix |= d << shift
            mask |= 255 << shift
            above += a
            ties = n
        vkey = prefix
        pstar = math.exp(float(f32(key_value(vkey) - mx)))
        a = above
        while keep < ties and (a < needed or (keep == 0 and above == 0.0)):
            a += pstar
            keep += 1
    rank_ties = use_p and keep < ties
    keys3 = order_key(x3)
    w = m.copy()
    if use_p:
        w[keys3 < np.uint32(vkey)] = 0.0
        if rank_ties:
            tie_idx = np.nonzero((keys3 == np.uint32(vkey)) & live)[0]
            w[tie_idx[keep:]] = 0.0
    chunk = (V + THREADS - 1) // THREADS
    sums = [w[min(V, t * chunk):min(V, t * chunk + chunk)].sum() for t in range(THREADS)]
    before = np.concatenate([[0.0], np.cumsum(sums)[:-1]])
    total = float(np.sum(sums))
    target = u * total
    picks = []
    for t in range(THREADS):
        if sums[t] > 0 and before[t] <= target < before[t] + sums[t]:
            cum, pick = before[t], -1
            for i in range(min(V, t * chunk), min(V, t * chunk + chunk)):
                if w[i] == 0:
                    continue
                cum += w[i]
                pick = i
                if cum > target:
                    break
            picks.append(pick)
    if picks:
        return min(picks)
    nz = np.nonzero(w)[0]
    return int(nz[-1]) if len(nz) else arg


def reference(logits, counts, temperature, min_p, u, top_k, rep, top_p, freq, pres):
    """The CPU Sampler's order (LogitsProcessors), in float32 values and float64 sums."""
    x = penalized(logits, counts, f32(1), f32(rep), freq, pres)
    if temperature == 0:
        return int(np.argmax(x))
    if temperature != 1.0:
        x = (x * f32(1.0 / temperature)).astype(f32)
    mx = x.max()
    if min_p > 0:
        x = np.where(x.astype(np.float64) < float(mx) + math.log(min_p), f32(-np.inf), x).astype(f32)
    if 0 < top_k < len(x):
        kth = np.sort(x)[::-1][top_k - 1]
        x = np.where(x < kth, f32(-np.inf), x).astype(f32)
    if top_p < 1:
        p = np.exp((x - mx).astype(f32).astype(np.float64))
        needed = top_p * p.sum()
        order = sorted(range(len(x)), key=lambda i: (-float(x[i]), i))
        keep = np.zeros(len(x), bool)
        above = 0.0
        for j, i in enumerate(order):
            if x[i] == -np.inf or (j > 0 and above >= needed):
                break
            keep[i] = True
            above += p[i]
        x = np.where(keep, x, f32(-np.inf)).astype(f32)
    live = x != -np.inf
    w = np.zeros(len(x))
    w[live] = np.exp((x[live] - mx).astype(f32).astype(np.float64))
    target = u * w.sum()
    c = np.cumsum(w)
    idx = int(np.searchsorted(c, target, side="right"))
    nz = np.nonzero(w)[0]
    return idx if idx < len(x) and w[idx] > 0 else int(nz[-1])


def main():
    rng = np.random.default_rng(7)
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    V = 20000
    bad = 0
    for r in range(rows):
        kind = r % 6
        logits = (rng.standard_normal(V) * rng.uniform(0.5, 4)).astype(f32)
        if kind == 1:
            logits[:] = f32(1.5)  # all equal
        if kind == 2:
            logits = np.round(logits * 2).astype(f32) / f32(2)  # many ties
        counts = None
        rep, freq, pres = 1.0, 0.0, 0.0
        if kind in (3, 4):
            counts = np.zeros(V, np.int32)
            hot = np.argsort(-logits)[:8]
            counts[hot[:3]] |= PROMPT_FLAG
            counts[hot[2:6]] += rng.integers(1, 4, 4).astype(np.int32)
            rep, freq, pres = 1.4, 0.3, 0.25
        temperature = [0.0, 0.7, 1.0, 1.6][r % 4] if kind != 4 else 0.0
        top_k = int(rng.choice([0, 1, 5, 50, V, V + 3]))
        top_p = float(rng.choice([1.0, 0.9, 0.5, 0.3]))
        min_p = float(rng.choice([0.0, 0.05]))
        for u in (0.0, 0.3, 0.77, 0.999):
            u = float(f32(u))
            inv_t = 0.0 if temperature == 0 else float(f32(1.0 / temperature))
            log_min_p = math.log(min_p) if min_p > 0 else -np.inf
            got = kernel(logits, counts, inv_t, log_min_p, u, top_k, rep, top_p, freq, pres)
            want = reference(logits, counts, temperature, min_p, u, top_k, rep, top_p, freq, pres)
            if got != want:
                bad += 1
                print(f"row {r} kind {kind} t={temperature} k={top_k} p={top_p} min_p={min_p} u={u}: {got} != {want}")
    print(f"sampling_full_sim: {rows * 4 - bad}/{rows * 4} draws agree")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
