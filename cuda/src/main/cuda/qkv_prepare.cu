// After the fused QKV projection: bias, per-head q/k RMSNorm (Qwen3), rotary embedding, and the
// write of keys and values into the paged cache, in one pass. q is rotated in place.
#include "qkv_head.cuh"

#define HEADS_PER_BLOCK 4

// qkv: [T, (nq + 2 nkv) * D] rows (q heads, then k heads, then v heads).
// grid (T, ceil((nq + nkv) / 4)), block 128: each warp takes one q or k head of one token, and a
// k head's warp also stores the matching v head.
// inv_freq: the rotary table (see RopeFromFreq; rope scaling already applied on the host); its pair
// count may be below D / 2 (partial rotary: the other dimensions pass unrotated).
// norm_after_rope: q/k norms of the rotated heads (HunYuan), else before the rotation.
// temp_floor, temp_scale: Llama 4's attention temperature of q heads (temp_floor 0: none).
// slots: cache slot of each token (block * block_size + offset), -1 for padding (no write).
// k_cache, v_cache: this layer's [num_slots, nkv, D].
// Instantiated for bf16 and float elements (see the entries at the end).
template <typename T>
__device__ __forceinline__ void qkv_prepare_impl(T* __restrict__ qkv, const T* __restrict__ bias,
                                                 const T* __restrict__ q_norm,
                                                 const T* __restrict__ k_norm, float eps,
                                                 const int* __restrict__ positions,
                                                 const float* __restrict__ inv_freq,
                                                 const int* __restrict__ slots,
                                                 T* __restrict__ k_cache, T* __restrict__ v_cache,
                                                 int nq, int nkv, int D, int norm_after_rope, float temp_floor,
                                                 float temp_scale) {
  __shared__ float buf[HEADS_PER_BLOCK][MAX_HEAD_DIM];
  const int t = blockIdx.x, warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int h = blockIdx.y * HEADS_PER_BLOCK + warp;
  if (h >= nq + nkv) return;  // whole warp leaves; only warp-level sync below
  T* row = qkv + (size_t)t * (nq + 2 * nkv) * D;
  // Llama 4's attention temperature on its layers without RoPE: log(floor((p + 1) / floor) + 1) * scale + 1
  const float q_scale = temp_floor > 0.f ? log1pf(floorf((positions[t] + 1.f) / temp_floor)) * temp_scale + 1.f : 1.f;
  prepare_head<false, T, true, RopeFromFreqPartial>(row, bias, q_norm, k_norm, eps,
                                                    RopeFromFreqPartial(inv_freq, (float)positions[t]), slots[t], k_cache,
                      v_cache, nq, nkv, D, h, true, buf[warp], lane, norm_after_rope != 0, q_scale);
}

// bf16 elements (qkv_prepare) and float elements (qkv_prepare_f32).
#define QKV_PREPARE_ENTRY(T, SUFFIX)                                                            \
  extern "C" __global__ void qkv_prepare##SUFFIX(                                               \
      T* qkv, const T* bias, const T* q_norm, const T* k_norm, float eps, const int* positions, \
      const float* inv_freq, const int* slots, T* k_cache, T* v_cache, int nq, int nkv, int D,   \
      int norm_after_rope, float temp_floor, float temp_scale) {                                 \
    PDL_ENTER();                                                                                 \
    qkv_prepare_impl<T>(qkv, bias, q_norm, k_norm, eps, positions, inv_freq, slots, k_cache,    \
                        v_cache, nq, nkv, D, norm_after_rope, temp_floor, temp_scale);          \
  }

QKV_PREPARE_ENTRY(bf16, )
QKV_PREPARE_ENTRY(float, _f32)
