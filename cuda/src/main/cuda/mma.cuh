// Tensor-core helpers shared by flash_attention.cu and decode_attention.cu: mma.m16n8k16 with bf16
// inputs and f32 accumulators (sm_80+), a fast 2^x, and bf16 pair packing.
//
// Fragment layouts of mma.m16n8k16 (PTX ISA), with gid = lane / 4 and tig = lane % 4:
//   A (16x16, row-major), 4 regs of 2 bf16: {row gid, k 2tig..+1}, {row gid+8, k 2tig..+1},
//     {row gid, k 2tig+8..+9}, {row gid+8, k 2tig+8..+9}
//   B (16x8, k x n), 2 regs: {k 2tig..+1, n gid}, {k 2tig+8..+9, n gid}
//   C (16x8 f32): {row gid, n 2tig, 2tig+1}, {row gid+8, n 2tig, 2tig+1}
// The lower index of each pair sits in the low 16 bits.
#pragma once
#include <stdint.h>
#include "common.cuh"

__device__ __forceinline__ void mma_bf16(float* c, const uint32_t* a, uint32_t b0, uint32_t b1) {
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
      "{%0,%1,%2,%3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ __forceinline__ float exp2_approx(float x) {  // 2^x; 2^-inf = 0
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
  const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<const uint32_t*>(&v);
}

// Two query rows (q0: fragment row gid, q1: row gid + 8; live: the row exists) as A fragments over
// KSTEPS k-steps of the head dim; dims past D (a multiple of 8) are zeros.
template <int KSTEPS>
__device__ __forceinline__ void load_q_fragments(uint32_t (&qf)[KSTEPS][4], const bf16* q0, const bf16* q1,
                                                 bool live0, bool live1, int tig, int D) {
#pragma unroll
  for (int ks = 0; ks < KSTEPS; ks++) {
    const int c = ks * 16 + tig * 2;  // D % 8 == 0: a pair is all inside or all outside D
    qf[ks][0] = live0 && c < D ? *reinterpret_cast<const uint32_t*>(q0 + c) : 0u;
    qf[ks][1] = live1 && c < D ? *reinterpret_cast<const uint32_t*>(q1 + c) : 0u;
    qf[ks][2] = live0 && c + 8 < D ? *reinterpret_cast<const uint32_t*>(q0 + c + 8) : 0u;
    qf[ks][3] = live1 && c + 8 < D ? *reinterpret_cast<const uint32_t*>(q1 + c + 8) : 0u;
  }
}

// One online-softmax step over a tile of scores held as C fragments: s holds NT n-tiles of a
// thread's two rows (base-2 units, -inf for masked keys). Takes each row's max over its quad,
// rescales the running output o and this thread's part of the row sums l, and turns s into
// probabilities. A row with no key yet keeps max -inf and subtracts 0 instead, so exp2 gives 0.
template <int NT, int DTILES>
__device__ __forceinline__ void online_softmax_step(float (&s)[NT][4], float (&o)[DTILES][4], float& m0, float& m1,
                                                    float& l0, float& l1) {
  float mx0 = -INFINITY, mx1 = -INFINITY;
#pragma unroll
  for (int nt = 0; nt < NT; nt++) {
    mx0 = fmaxf(mx0, fmaxf(s[nt][0], s[nt][1]));
    mx1 = fmaxf(mx1, fmaxf(s[nt][2], s[nt][3]));
  }
  // the 4 threads of a quad hold one row between them
  mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
  mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
  mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
  mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
  const float n0 = fmaxf(m0, mx0), n1 = fmaxf(m1, mx1);
  const float b0 = n0 == -INFINITY ? 0.f : n0, b1 = n1 == -INFINITY ? 0.f : n1;
  const float c0 = exp2_approx(m0 - b0), c1 = exp2_approx(m1 - b1);
  m0 = n0;
  m1 = n1;
  l0 *= c0;
  l1 *= c1;
#pragma unroll
  for (int dt = 0; dt < DTILES; dt++) {
    o[dt][0] *= c0;
    o[dt][1] *= c0;
    o[dt][2] *= c1;
    o[dt][3] *= c1;
  }
#pragma unroll
  for (int nt = 0; nt < NT; nt++) {
    s[nt][0] = exp2_approx(s[nt][0] - b0);
    s[nt][1] = exp2_approx(s[nt][1] - b0);
    s[nt][2] = exp2_approx(s[nt][2] - b1);
    s[nt][3] = exp2_approx(s[nt][3] - b1);
    l0 += s[nt][0] + s[nt][1];
    l1 += s[nt][2] + s[nt][3];
  }
}

// o += P · V for one 16-key k-step: a is P's A fragment, vk the V tile in shared memory (rows of
// STRIDE bf16) at row 2 tig and column gid of the k-step's first key.
template <int DTILES, int STRIDE>
__device__ __forceinline__ void pv_kstep(float (&o)[DTILES][4], const uint32_t (&a)[4], const unsigned short* vk) {
#pragma unroll
  for (int dt = 0; dt < DTILES; dt++) {
    const unsigned short* vr = vk + dt * 8;
    const uint32_t v0 = (uint32_t)vr[0] | ((uint32_t)vr[STRIDE] << 16);
    const uint32_t v1 = (uint32_t)vr[8 * STRIDE] | ((uint32_t)vr[9 * STRIDE] << 16);
    mma_bf16(o[dt], a, v0, v1);
  }
}
