// cp.async helpers (sm_80+) shared by the kernels that stream the paged KV cache through shared
// memory (flash_attention.cu, decode_attention.cu).
#pragma once
#include <stdint.h>
#include "common.cuh"

// 16 bytes global -> shared without registers; src_size 0 writes zeros and reads nothing.
__device__ __forceinline__ void cp_async16(void* dst, const void* src, bool valid) {
  const uint32_t s = (uint32_t)__cvta_generic_to_shared(dst);
  const int n = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(src), "r"(n));
}

__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }

// Waits until at most N of this thread's committed groups are still in flight.
template <int N>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

// Keys j0..j0+ROWS-1 of kv head g into one shared-memory tile, by all NTHREADS threads of the block
// in 16-byte pieces: row r of sk and of sv (STRIDE elements apart) holds key j0 + r; keys at or past
// end (never looked up in the block table) and dims past D are zeros. DP: head dim of a row.
template <int ROWS, int DP, int STRIDE, int NTHREADS>
__device__ __forceinline__ void cp_async_kv_tile(bf16* sk, bf16* sv, const bf16* __restrict__ k_cache,
                                                 const bf16* __restrict__ v_cache,
                                                 const int* __restrict__ bt, int block_size, int nkv,
                                                 int g, int D, int j0, int end) {
  constexpr int CH = DP / 8;  // 16-byte pieces of a row
  static_assert(ROWS * CH % NTHREADS == 0, "whole rounds of the block");
#pragma unroll
  for (int i = 0; i < ROWS * CH / NTHREADS; i++) {
    const int c = threadIdx.x + i * NTHREADS;
    const int r = c / CH, part = c % CH;
    const int j = j0 + r;
    const bool valid = j < end && part * 8 < D;
    size_t off = 0;
    if (valid) off = (((size_t)bt[j / block_size] * block_size + j % block_size) * nkv + g) * D + part * 8;
    cp_async16(sk + r * STRIDE + part * 8, k_cache + off, valid);
    cp_async16(sv + r * STRIDE + part * 8, v_cache + off, valid);
  }
}
