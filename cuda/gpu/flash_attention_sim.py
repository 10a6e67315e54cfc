#!/usr/bin/env python3
# Development aid, not part of the build: a lane-by-lane model of cuda/src/main/cuda/flash_attention.cu
# (fragment layouts of mma.m16n8k16 as the PTX ISA gives them, the shared-memory stages, masks and the
# online softmax) against a float64 reference, for checking edits to the kernel on a machine without a
# GPU. Keep it in step with the kernel. Usage: python3 cuda/gpu/flash_attention_sim.py [big [extra]]
import numpy as np, sys, random
BQ, BK, THREADS, PAD = 64, 64, 128, 8

def bf(x):
    a = np.asarray(x, dtype=np.float32).copy()
    u = a.view(np.uint32).astype(np.uint64)
    u = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16
    return u.astype(np.uint32).view(np.float32).astype(np.float64)

def mma(c, a, b0, b1):
    # c: (32,4) ; a: (32,4,2) ; b0,b1: (32,2)
    A = np.full((16, 16), np.nan); B = np.full((16, 8), np.nan); C = np.full((16, 8), np.nan)
    for lane in range(32):
        gid, tig = lane >> 2, lane & 3
        A[gid, 2*tig:2*tig+2] = a[lane, 0]; A[gid+8, 2*tig:2*tig+2] = a[lane, 1]
        A[gid, 2*tig+8:2*tig+10] = a[lane, 2]; A[gid+8, 2*tig+8:2*tig+10] = a[lane, 3]
        B[2*tig:2*tig+2, gid] = b0[lane]; B[2*tig+8:2*tig+10, gid] = b1[lane]
        C[gid, 2*tig:2*tig+2] = c[lane, 0:2]; C[gid+8, 2*tig:2*tig+2] = c[lane, 2:4]
    assert not np.isnan(A).any() and not np.isnan(B).any() and not np.isnan(C).any(), "fragment not fully covered"
    Dm = A @ B + C
    out = np.empty_like(c)
    for lane in range(32):
        gid, tig = lane >> 2, lane & 3
        out[lane, 0:2] = Dm[gid, 2*tig:2*tig+2]; out[lane, 2:4] = Dm[gid+8, 2*tig:2*tig+2]
    return out

def shfl_xor(v, m):
    return v[np.arange(32) ^ m]

def block(tile, h, P, out, touched):
    q, qs, kf, vf, bt_all, bts, pos, bs, nq, nkv, D, scale, window, DP, rowlen = P
    STRIDE = DP + PAD; KSTEPS = DP // 16; DTILES = DP // 8; NTILES = BK // 8; CHUNKS = DP // 8
    t0, count, row = tile[0], tile[1], tile[2]
    g = h // (nq // nkv)
    bt = bt_all[row * bts:(row + 1) * bts]
    kend = pos[t0 + count - 1] + 1
    klo = max(0, pos[t0] + 1 - window) if window > 0 else 0
    smem = np.full((2, 2, BK, STRIDE), np.nan)
    def load_kv(stage, j0):
        for tid in range(THREADS):
            for i in range(BK * CHUNKS // THREADS):
                c = tid + i * THREADS; r = c // CHUNKS; part = c % CHUNKS; j = j0 + r
                valid = j < kend and part * 8 < D
                if valid:
                    assert j // bs < rowlen[row], "read past the block table"
                    assert bt[j // bs] >= 0
                    off = ((bt[j // bs] * bs + j % bs) * nkv + g) * D + part * 8
                    smem[stage, 0, r, part*8:part*8+8] = kf[off:off+8]
                    smem[stage, 1, r, part*8:part*8+8] = vf[off:off+8]
                else:
                    smem[stage, :, r, part*8:part*8+8] = 0
    ntiles = (kend - klo + BK - 1) // BK
    warps = []
    for warp in range(4):
        lanes = np.arange(32); gid = lanes >> 2; tig = lanes & 3
        r0 = warp * 16 + gid; r1 = r0 + 8
        live0 = r0 < count; live1 = r1 < count
        p0 = np.where(live0, [pos[t0 + r] if r < count else -1 for r in r0], -1)
        p1 = np.where(live1, [pos[t0 + r] if r < count else -1 for r in r1], -1)
        lo0 = p0 + 1 - window if window > 0 else np.zeros(32, int)
        lo1 = p1 + 1 - window if window > 0 else np.zeros(32, int)
        warpLive = warp * 16 < count
        wFirst = pos[t0 + warp * 16] if warpLive else 0
        wLast = pos[t0 + min(count - 1, warp * 16 + 15)] if warpLive else -1
        qf = np.zeros((32, KSTEPS, 4, 2))
        for lane in range(32):
            for ks in range(KSTEPS):
                c = ks * 16 + tig[lane] * 2
                for reg, (lv, rr, cc) in enumerate([(live0, r0, c), (live1, r1, c), (live0, r0, c + 8), (live1, r1, c + 8)]):
                    if lv[lane] and cc < D:
                        base = (t0 + rr[lane]) * qs + h * D + cc
                        qf[lane, ks, reg] = q[base:base + 2]
        warps.append(dict(r0=r0, r1=r1, live0=live0, live1=live1, p0=p0, p1=p1, lo0=lo0, lo1=lo1, warpLive=warpLive,
                          wFirst=wFirst, wLast=wLast, qf=qf, o=np.zeros((32, DTILES, 4)), m0=np.full(32, -np.inf),
                          m1=np.full(32, -np.inf), l0=np.zeros(32), l1=np.zeros(32), gid=gid, tig=tig))
    sl2 = scale * 1.4426950408889634
    load_kv(0, klo)
    for it in range(ntiles):
        j0 = klo + it * BK
        if it + 1 < ntiles:
            load_kv((it + 1) & 1, j0 + BK)  # in hardware this overlaps; the stage differs from the one read
        st = it & 1
        assert (it + 1 >= ntiles) or ((it + 1) & 1) != st
        for w in warps:
            skip = (not w['warpLive']) or j0 > w['wLast'] or (window > 0 and j0 + BK - 1 < w['wFirst'] + 1 - window)
            if skip: continue
            gid, tig = w['gid'], w['tig']
            s = np.zeros((32, NTILES, 4))
            for ks in range(KSTEPS):
                for nt in range(NTILES):
                    b0 = np.stack([smem[st, 0, nt*8 + gid[l], ks*16 + tig[l]*2: ks*16 + tig[l]*2 + 2] for l in range(32)])
                    b1 = np.stack([smem[st, 0, nt*8 + gid[l], ks*16 + tig[l]*2 + 8: ks*16 + tig[l]*2 + 10] for l in range(32)])
                    s[:, nt] = mma(s[:, nt], w['qf'][:, ks], b0, b1)
            mx0 = np.full(32, -np.inf); mx1 = np.full(32, -np.inf)
            for nt in range(NTILES):
                for e in range(2):
                    j = j0 + nt * 8 + tig * 2 + e
                    m0ok = (j <= w['p0']) & (j >= w['lo0']); m1ok = (j <= w['p1']) & (j >= w['lo1'])
                    s[:, nt, e] = np.where(m0ok, s[:, nt, e] * sl2, -np.inf)
                    s[:, nt, 2 + e] = np.where(m1ok, s[:, nt, 2 + e] * sl2, -np.inf)
                    mx0 = np.maximum(mx0, s[:, nt, e]); mx1 = np.maximum(mx1, s[:, nt, 2 + e])
            mx0 = np.maximum(mx0, shfl_xor(mx0, 1)); mx0 = np.maximum(mx0, shfl_xor(mx0, 2))
            mx1 = np.maximum(mx1, shfl_xor(mx1, 1)); mx1 = np.maximum(mx1, shfl_xor(mx1, 2))
            n0 = np.maximum(w['m0'], mx0); n1 = np.maximum(w['m1'], mx1)
            b0_ = np.where(n0 == -np.inf, 0, n0); b1_ = np.where(n1 == -np.inf, 0, n1)
            with np.errstate(invalid='raise'):
                c0 = np.exp2(w['m0'] - b0_); c1 = np.exp2(w['m1'] - b1_)
            w['m0'], w['m1'] = n0, n1
            w['l0'] = w['l0'] * c0; w['l1'] = w['l1'] * c1
            w['o'][:, :, 0] *= c0[:, None]; w['o'][:, :, 1] *= c0[:, None]
            w['o'][:, :, 2] *= c1[:, None]; w['o'][:, :, 3] *= c1[:, None]
            with np.errstate(invalid='raise'):
                s[:, :, 0] = np.exp2(s[:, :, 0] - b0_[:, None]); s[:, :, 1] = np.exp2(s[:, :, 1] - b0_[:, None])
                s[:, :, 2] = np.exp2(s[:, :, 2] - b1_[:, None]); s[:, :, 3] = np.exp2(s[:, :, 3] - b1_[:, None])
            w['l0'] = w['l0'] + s[:, :, 0].sum(1) + s[:, :, 1].sum(1)
            w['l1'] = w['l1'] + s[:, :, 2].sum(1) + s[:, :, 3].sum(1)
            for kk in range(BK // 16):
                a = np.zeros((32, 4, 2))
                a[:, 0] = bf(s[:, 2*kk, 0:2]); a[:, 1] = bf(s[:, 2*kk, 2:4])
                a[:, 2] = bf(s[:, 2*kk + 1, 0:2]); a[:, 3] = bf(s[:, 2*kk + 1, 2:4])
                for dt in range(DTILES):
                    v0 = np.stack([[smem[st, 1, kk*16 + tig[l]*2, dt*8 + gid[l]], smem[st, 1, kk*16 + tig[l]*2 + 1, dt*8 + gid[l]]] for l in range(32)])
                    v1 = np.stack([[smem[st, 1, kk*16 + tig[l]*2 + 8, dt*8 + gid[l]], smem[st, 1, kk*16 + tig[l]*2 + 9, dt*8 + gid[l]]] for l in range(32)])
                    w['o'][:, dt] = mma(w['o'][:, dt], a, v0, v1)
    for w in warps:
        l0 = w['l0']; l0 = l0 + shfl_xor(l0, 1); l0 = l0 + shfl_xor(l0, 2)
        l1 = w['l1']; l1 = l1 + shfl_xor(l1, 1); l1 = l1 + shfl_xor(l1, 2)
        inv0 = np.where(l0 > 0, 1 / np.where(l0 > 0, l0, 1), 0); inv1 = np.where(l1 > 0, 1 / np.where(l1 > 0, l1, 1), 0)
        for lane in range(32):
            for dt in range(DTILES):
                c = dt * 8 + w['tig'][lane] * 2
                if c >= D: continue
                for lv, rr, inv, e in [(w['live0'], w['r0'], inv0, 0), (w['live1'], w['r1'], inv1, 2)]:
                    if lv[lane]:
                        base = (t0 + rr[lane]) * nq * D + h * D + c
                        out[base:base + 2] = bf(w['o'][lane, dt, e:e + 2] * inv[lane])
                        touched[base:base + 2] += 1

def case(D, nq, nkv, bs, window, seqs, seed):
    rnd = np.random.default_rng(seed)
    DP = next(c for c in (16, 32, 64, 128) if c >= D)
    n = len(seqs)
    maxEnd = max(c + k for c, k in seqs)
    nblocks = sum((c + k + bs - 1) // bs for c, k in seqs) + 7
    free = list(range(nblocks)); random.Random(seed).shuffle(free)
    bts = (maxEnd + bs - 1) // bs + 2
    bt = np.full(n * bts, -1, dtype=np.int64)
    rowlen = []
    tokens = sum(k for _, k in seqs)
    seq = np.zeros(tokens, int); pos = np.zeros(tokens, int)
    nxt = 0; t = 0
    tiles = []
    for s, (c, k) in enumerate(seqs):
        nb = (c + k + bs - 1) // bs
        rowlen.append(nb)
        for b in range(nb): bt[s * bts + b] = free[nxt]; nxt += 1
        for i in range(0, k, BQ): tiles.append((t + i, min(BQ, k - i), s))
        for i in range(k): seq[t] = s; pos[t] = c + i; t += 1
    qs = (nq + 2 * nkv) * D
    q = bf(rnd.uniform(-2, 2, tokens * qs)); kf = bf(rnd.uniform(-2, 2, nblocks * bs * nkv * D)); vf = bf(rnd.uniform(-2, 2, nblocks * bs * nkv * D))
    scale = float(np.float32(1 / np.sqrt(D)))
    P = (q, qs, kf, vf, bt, bts, pos, bs, nq, nkv, D, scale, window, DP, rowlen)
    out = np.full(tokens * nq * D, np.nan); touched = np.zeros(tokens * nq * D, int)
    for tile in tiles:
        for h in range(nq): block(tile, h, P, out, touched)
    assert (touched == 1).all(), "outputs not written exactly once"
    ref = np.zeros_like(out); G = nq // nkv
    for t in range(tokens):
        ctx = pos[t] + 1; lo = max(0, ctx - window) if window > 0 else 0
        for h in range(nq):
            g = h // G
            js = np.arange(lo, ctx)
            slots = bt[seq[t] * bts + js // bs] * bs + js % bs
            K = np.stack([kf[(sl * nkv + g) * D:(sl * nkv + g) * D + D] for sl in slots]); V = np.stack([vf[(sl * nkv + g) * D:(sl * nkv + g) * D + D] for sl in slots])
            sc = K @ q[t * qs + h * D:t * qs + h * D + D] * scale
            p = np.exp(sc - sc.max()); p /= p.sum()
            ref[(t * nq + h) * D:(t * nq + h) * D + D] = p @ V
    err = np.linalg.norm(out - ref) / np.linalg.norm(ref)
    print(f"D={D} {nq}/{nkv} bs={bs} window={window} seqs={seqs}: rel err {err:.2e}", "OK" if err < 1e-2 else "FAIL")
    return err < 1e-2

ok = True
ok &= case(16, 4, 2, 16, 0, [(0, 70), (5, 12), (0, 1)], 1)
ok &= case(8, 4, 2, 16, 0, [(0, 33), (3, 17)], 2)
ok &= case(32, 4, 1, 16, 0, [(20, 30), (100, 66)], 3)
ok &= case(16, 2, 1, 8, 7, [(40, 90), (0, 33)], 4)
ok &= case(16, 4, 4, 16, 100, [(150, 80)], 5)
ok &= case(24, 2, 2, 16, 0, [(64, 64), (0, 2)], 6)
if len(sys.argv) > 1:
    ok &= case(128, 2, 1, 16, 0, [(37, 64), (0, 5)], 7)
    ok &= case(64, 2, 2, 32, 0, [(10, 65)], 8)
print("ALL OK" if ok else "SOME FAILED")
if len(sys.argv) > 2:
    ok2 = case(64, 8, 1, 16, 100, [(250, 130), (0, 70)], 9)
    ok2 &= case(128, 2, 2, 16, 0, [(0, 200)], 10)
    print("EXTRA OK" if ok2 else "EXTRA FAILED")
