// DeepSeek's multi-head latent attention, after its projections (see LatentAttention.java): each
// head's query and key as standard attention takes them, so that qkv_prepare, the paged KV cache
// and the attention kernels serve it unchanged. A head is D = nope + rope wide; its rotary part
// goes first (scores do not depend on the order of dimensions, and qkv_prepare rotates the leading
// rotary_dim dimensions), and its value is padded with zeros from v_dim to D (the output
// projection's padded columns are zero too).
#include "common.cuh"

// q: [T, heads, nope + rope] (unrotated, then rotary); kv: [T, heads, nope + v_dim] (key's
// unrotated part, then value); k_rope: [T, rope], shared by every head; qkv: [T, 3 heads, D] rows
// (query heads, key heads, value heads). grid (T, heads), block 64.
template <typename T>
__device__ __forceinline__ void latent_assemble_impl(const T* __restrict__ q, const T* __restrict__ kv,
                                                     const T* __restrict__ k_rope, T* __restrict__ qkv, int heads,
                                                     int nope, int rope, int v_dim) {
  const int t = blockIdx.x, h = blockIdx.y, D = nope + rope;
  const T* qh = q + ((size_t)t * heads + h) * D;
  const T* kvh = kv + ((size_t)t * heads + h) * (nope + v_dim);
  const T* kr = k_rope + (size_t)t * rope;
  T* row = qkv + (size_t)t * 3 * heads * D;
  T* qo = row + (size_t)h * D;
  T* ko = row + (size_t)(heads + h) * D;
  T* vo = row + (size_t)(2 * heads + h) * D;
  for (int i = threadIdx.x; i < D; i += blockDim.x) {
    qo[i] = i < rope ? qh[nope + i] : qh[i - rope];
    ko[i] = i < rope ? kr[i] : kvh[i - rope];
    vo[i] = i < v_dim ? kvh[nope + i] : from_f<T>(0.f);
  }
}

#define LATENT_ENTRY(T, SUFFIX)                                                                  \
  extern "C" __global__ void latent_assemble##SUFFIX(const T* q, const T* kv, const T* k_rope,   \
                                                     T* qkv, int heads, int nope, int rope,      \
                                                     int v_dim) {                                \
    PDL_ENTER();                                                                                 \
    latent_assemble_impl<T>(q, kv, k_rope, qkv, heads, nope, rope, v_dim);                       \
  }

LATENT_ENTRY(bf16, )
LATENT_ENTRY(float, _f32)
