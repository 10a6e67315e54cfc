#!/usr/bin/env python3
# Development aid, not part of the build: a lane-by-lane model of cuda/src/main/cuda/decode_attention.cu
# (cp.async groups landing as late as wait_group allows, stage reuse, which lane holds which key and
# dims, the xor shuffles, the online softmax and the warp merge, the per-token cut into splits)
# followed by decode_attention_combine, against a float64 reference, for checking edits to the kernel on a machine without
# a GPU. Keep it in step with the kernel. Usage: python3 cuda/gpu/decode_attention_sim.py [cases]
import numpy as np, sys, random
THREADS, WARPS, STAGES = 128, 4, 3

def bf(x):
    a = np.asarray(x, dtype=np.float32).copy()
    u = a.view(np.uint32).astype(np.uint64)
    u = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16
    return u.astype(np.uint32).view(np.float32).astype(np.float64)

def f32(x):
    return np.float32(x)

def shfl_xor(v, o):  # v: (32, ...) per lane
    return v[np.arange(32) ^ o]

def tile_keys(DP):
    return 16 if DP >= 256 else 32

def token_partition(n, min_partition, splits):
    even = ((n + splits - 1) // splits + 15) // 16 * 16
    return max(min_partition, even)

def block(t, g, s, P, part_acc, part_ml, out, touched):
    q, qs, kf, vf, bt_all, bts, seq, pos, bs, nq, nkv, D, scale, window, partition, splits, DP, rowlen, G_MAX = P
    TK = tile_keys(DP); RPW = TK // WARPS; LPK = DP // 8; KPP = 32 // LPK; PASSES = RPW // KPP; CH = DP // 8
    assert PASSES >= 1 and RPW % KPP == 0 and TK * CH % THREADS == 0
    G = nq // nkv
    assert G <= G_MAX
    ctx = pos[t] + 1
    lo = max(0, ctx - window) if window > 0 else 0
    part_t = token_partition(ctx - lo, partition, splits)
    start = lo + s * part_t; end = min(ctx, start + part_t)
    if start >= end:
        return
    row = seq[t]
    bt = bt_all[row * bts:(row + 1) * bts]
    ntiles = (end - start + TK - 1) // TK
    smem = np.full((STAGES, 2, TK, DP), np.nan)
    stage_tile = [None] * STAGES
    pending = []  # committed groups not yet landed: list of (stage, tile, writes)

    def load_stage(stage, j0, tile):
        writes = []
        for tid in range(THREADS):
            for i in range(TK * CH // THREADS):
                c = tid + i * THREADS; r = c // CH; part = c % CH; j = j0 + r
                valid = j < end and part * 8 < D
                if valid:
                    assert j // bs < rowlen[row], "read past the block table"
                    assert bt[j // bs] >= 0
                    off = ((bt[j // bs] * bs + j % bs) * nkv + g) * D + part * 8
                    writes.append((r, part, kf[off:off + 8].copy(), vf[off:off + 8].copy()))
                else:
                    writes.append((r, part, np.zeros(8), np.zeros(8)))
        return (stage, tile, writes)

    def commit(group):
        pending.append(group)

    def wait(n):  # land all but the newest n groups
        while len(pending) > n:
            grp = pending.pop(0)
            if grp is None:
                continue
            stage, tile, writes = grp
            for r, part, kk, vv in writes:
                smem[stage, 0, r, part * 8:part * 8 + 8] = kk
                smem[stage, 1, r, part * 8:part * 8 + 8] = vv
            stage_tile[stage] = tile

    for st in range(STAGES - 1):
        commit(load_stage(st, start + st * TK, st) if st < ntiles else None)

    lanes = np.arange(32); sub = lanes // LPK; part = lanes % LPK
    qt = q[t * qs + g * G * D:]
    qr = np.zeros((WARPS, G_MAX, 32, 8))
    for gi in range(G_MAX):
        for i in range(8):
            d = part * 8 + i
            for L in range(32):
                qr[:, gi, L, i] = f32(qt[gi * D + d[L]] * scale) if gi < G and d[L] < D else 0.0
    m = np.full((WARPS, G_MAX, 32), -np.inf); l = np.zeros((WARPS, G_MAX, 32)); acc = np.zeros((WARPS, G_MAX, 32, 8))

    for it in range(ntiles):
        wait(STAGES - 2)
        # __syncthreads: every warp is past iteration it - 1
        nx = it + STAGES - 1
        if nx < ntiles:
            for grp in pending:  # a stage still being filled must not be the one refilled
                assert grp is None or grp[0] != nx % STAGES
            commit(load_stage(nx % STAGES, start + nx * TK, nx))
        else:
            commit(None)
        cur = it % STAGES
        assert stage_tile[cur] == it, "stage %d holds tile %s, not %d" % (cur, stage_tile[cur], it)
        for grp in pending:
            assert grp is None or grp[0] != cur, "reading a stage with writes in flight"
        sk = smem[cur, 0]; sv = smem[cur, 1]
        j0 = start + it * TK
        for w in range(WARPS):
            sc = np.zeros((PASSES, G_MAX, 32))
            for p in range(PASSES):
                r = w * RPW + p * KPP + sub
                kk = np.stack([sk[r[L], part[L] * 8:part[L] * 8 + 8] for L in range(32)])
                assert not np.isnan(kk).any(), "K read from an unfilled slot"
                for gi in range(G):
                    dot = (qr[w, gi] * kk).sum(axis=1)
                    o = LPK // 2
                    while o > 0:
                        dot = dot + shfl_xor(dot, o); o //= 2
                    sc[p, gi] = np.where(j0 + r < end, dot, -np.inf)
            for gi in range(G):
                mt = sc[:, gi].max(axis=0)
                o = LPK
                while o < 32:
                    mt = np.maximum(mt, shfl_xor(mt, o)); o *= 2
                mn = np.maximum(m[w, gi], mt)
                assert (mn == mn[0]).all(), "max not uniform over the warp"
                if mn[0] == -np.inf:
                    sc[:, gi] = 0
                else:
                    corr = np.exp(m[w, gi] - mn)
                    m[w, gi] = mn; l[w, gi] *= corr; acc[w, gi] *= corr[:, None]
                    for p in range(PASSES):
                        sc[p, gi] = np.exp(sc[p, gi] - mn); l[w, gi] += sc[p, gi]
            for p in range(PASSES):
                r = w * RPW + p * KPP + sub
                vv = np.stack([sv[r[L], part[L] * 8:part[L] * 8 + 8] for L in range(32)])
                assert not np.isnan(vv).any(), "V read from an unfilled slot"
                for gi in range(G):
                    acc[w, gi] += sc[p, gi][:, None] * vv
    wait(0)
    sm_acc = np.full((WARPS, G_MAX, DP), np.nan); sm_m = np.full((WARPS, G_MAX), np.nan); sm_l = np.full((WARPS, G_MAX), np.nan)
    for w in range(WARPS):
        for gi in range(G):
            o = LPK
            while o < 32:
                l[w, gi] = l[w, gi] + shfl_xor(l[w, gi], o)
                acc[w, gi] = acc[w, gi] + shfl_xor(acc[w, gi], o)
                o *= 2
            for L in range(32):
                if sub[L] == 0:
                    sm_acc[w, gi, part[L] * 8:part[L] * 8 + 8] = acc[w, gi, L]
                    if part[L] == 0:
                        sm_m[w, gi] = m[w, gi, L]; sm_l[w, gi] = l[w, gi, L]
    for idx in range(G * D):
        gi, d = idx // D, idx % D
        M = max(sm_m[w, gi] for w in range(WARPS))
        f = [np.exp(sm_m[w, gi] - M) for w in range(WARPS)]
        L_ = sum(sm_l[w, gi] * f[w] for w in range(WARPS))
        A = sum(sm_acc[w, gi, d] * f[w] for w in range(WARPS))
        assert not np.isnan(A) and not np.isnan(L_)
        h = g * G + gi
        if splits == 1:
            out[t, h * D + d] = A / L_; touched[t, h * D + d] += 1
        else:
            pidx = (t * nq + h) * splits + s
            part_acc[pidx * D + d] = A
            if d == 0:
                part_ml[2 * pidx] = M; part_ml[2 * pidx + 1] = L_

def combine(t, h, P, part_acc, part_ml, out, touched):  # decode_attention_combine
    q, qs, kf, vf, bt_all, bts, seq, pos, bs, nq, nkv, D, scale, window, partition, splits, DP, rowlen, G_MAX = P
    ctx = pos[t] + 1
    lo = max(0, ctx - window) if window > 0 else 0
    part_t = token_partition(ctx - lo, partition, splits)
    first = 0; n = min(splits, (ctx - lo + part_t - 1) // part_t)
    p0 = (t * nq + h) * splits
    M = max(part_ml[2 * (p0 + s)] for s in range(first, n))
    L_ = sum(part_ml[2 * (p0 + s) + 1] * np.exp(part_ml[2 * (p0 + s)] - M) for s in range(first, n))
    for d in range(D):
        A = sum(part_acc[(p0 + s) * D + d] * np.exp(part_ml[2 * (p0 + s)] - M) for s in range(first, n))
        assert not np.isnan(A), "combine read a split that was not written"
        out[t, h * D + d] = A / L_; touched[t, h * D + d] += 1

def run_case(rng, tokens, D, nq, nkv, bs, ctxs, window, splits_forced):
    DP = 32
    while DP < D: DP *= 2
    G_MAX = 1
    while G_MAX < nq // nkv: G_MAX *= 2
    nseq = tokens
    maxblocks = max((c + bs - 1) // bs for c in ctxs) + 1
    nblocks = nseq * maxblocks + 3
    perm = rng.permutation(nblocks)
    bts = maxblocks + 1
    bt_all = np.full(nseq * bts, -1, dtype=np.int64); rowlen = []
    for sq in range(nseq):
        n = (ctxs[sq] + bs - 1) // bs
        bt_all[sq * bts:sq * bts + n] = perm[sq * maxblocks:sq * maxblocks + n]
        rowlen.append(n)
    kf = bf(rng.standard_normal(nblocks * bs * nkv * D) * 2); vf = bf(rng.standard_normal(nblocks * bs * nkv * D))
    qs = (nq + 2 * nkv) * D
    q = bf(rng.standard_normal(tokens * qs))
    seq = list(range(tokens)); rng.shuffle(seq)  # tokens map to sequences in any order
    seq = np.array(seq); pos = np.array([ctxs[seq[t]] - 1 for t in range(tokens)])
    scale = f32(1 / np.sqrt(D))
    maxctx = max(ctxs)
    if splits_forced > 0:  # as the GPU checks force them (a v1 plan passed to v2)
        splits = splits_forced; partition = ((maxctx + splits - 1) // splits + 15) // 16 * 16; splits = (maxctx + partition - 1) // partition
    elif splits_forced < 0:  # as DecodeAttention.plan: a split count, 64 keys at least
        splits = -splits_forced; partition = 64
    else:
        splits = 1; partition = 64
    P = (q, qs, kf, vf, bt_all, bts, seq, pos, bs, nq, nkv, D, scale, window, partition, splits, DP, rowlen, G_MAX)
    part_acc = np.full(tokens * nq * splits * D, np.nan); part_ml = np.full(tokens * nq * splits * 2, np.nan)
    out = np.full((tokens, nq * D), np.nan); touched = np.zeros((tokens, nq * D), dtype=int)
    for t in range(tokens):
        for g in range(nkv):
            for s in range(splits):
                block(t, g, s, P, part_acc, part_ml, out, touched)
    if splits > 1:
        for t in range(tokens):
            for h in range(nq):
                combine(t, h, P, part_acc, part_ml, out, touched)
    assert (touched == 1).all(), "outputs written %s times" % set(touched.flatten())
    err = 0.0
    for t in range(tokens):
        ctx = pos[t] + 1; lo = max(0, ctx - window) if window > 0 else 0
        for h in range(nq):
            g = h // (nq // nkv)
            keys = []; vals = []
            for j in range(lo, ctx):
                off = ((bt_all[seq[t] * bts + j // bs] * bs + j % bs) * nkv + g) * D
                keys.append(kf[off:off + D]); vals.append(vf[off:off + D])
            K = np.array(keys); V = np.array(vals)
            s_ = K @ q[t * qs + h * D:t * qs + h * D + D] / np.sqrt(D)
            p = np.exp(s_ - s_.max()); ref = (p / p.sum()) @ V
            err = max(err, np.abs(ref - out[t, h * D:h * D + D]).max())
    return err, splits

def main():
    rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    cases = [  # tokens, D, nq, nkv, block size, contexts, window, forced splits
        (2, 128, 4, 2, 16, [1, 33], 0, 0),
        (3, 128, 8, 1, 16, [95, 64, 7], 0, 0),
        (2, 64, 8, 2, 8, [130, 40], 0, 3),
        (2, 32, 4, 4, 16, [70, 17], 0, 2),
        (1, 256, 2, 1, 16, [77], 0, 2),
        (2, 96, 4, 1, 16, [100, 129], 30, 0),
        (2, 128, 16, 2, 16, [300, 161], 50, 4),
        (1, 24, 2, 2, 4, [45], 0, 0),
        (2, 128, 2, 2, 32, [257, 31], 0, 5),
        (3, 128, 4, 2, 16, [640, 129, 300], 0, -3),   # planned for more keys than most tokens have
        (2, 64, 4, 1, 16, [1000, 20], 200, -8),       # windows: splits cut inside the window
        (2, 128, 2, 1, 16, [2000, 700], 0, -64),      # more splits than 128-key pieces
    ]
    if len(sys.argv) > 1 and sys.argv[1] != "all":
        cases = cases[:int(sys.argv[1])]
    worst = 0
    for c in cases:
        err, splits = run_case(rng, *c)
        print("tokens %d D=%d %d/%d bs=%d ctx=%s window=%d splits=%d: max |err| %.2e" % (c[0], c[1], c[2], c[3], c[4], c[5], c[6], splits, err))
        worst = max(worst, err)
    print("worst %.2e %s" % (worst, "OK" if worst < 1e-4 else "FAIL"))

if __name__ == "__main__":
    main()
