// Shared helpers for Barista's kernels: bf16 conversions and warp/block reductions.
#pragma once
#include <cuda_bf16.h>
#include <stdint.h>

typedef __nv_bfloat16 bf16;

// Programmatic dependent launch (sm_90+): a kernel launched with the programmatic-serialization
// attribute may start while the kernel before it in the stream is still running. Every kernel calls
// pdl_wait() before it reads anything an earlier kernel wrote or writes anything an earlier kernel
// may still read; pdl_launch_dependents() then lets the next kernel start early. Both are no-ops in
// an ordinary launch and below sm_90 (the PTX for older GPUs).
__device__ __forceinline__ void pdl_wait() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}
__device__ __forceinline__ void pdl_launch_dependents() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}
// Both, at the top of kernels that have nothing to do before their inputs are ready.
#define PDL_ENTER()          \
  do {                       \
    pdl_wait();              \
    pdl_launch_dependents(); \
  } while (0)

__device__ __forceinline__ float to_f(bf16 v) { return __bfloat162float(v); }
__device__ __forceinline__ bf16 to_bf(float v) { return __float2bfloat16(v); }
// Rounds through bf16, where the reference model keeps a bf16 intermediate.
__device__ __forceinline__ float round_bf(float v) { return to_f(to_bf(v)); }

// Kernels are templated over the element type of weights, activations and the KV cache: bf16, or
// float in the f32 math mode (--dtype float32). Arithmetic is f32 in both.
__device__ __forceinline__ float to_f(float v) { return v; }
template <typename T>
__device__ __forceinline__ T from_f(float v);
template <>
__device__ __forceinline__ bf16 from_f<bf16>(float v) { return __float2bfloat16(v); }
template <>
__device__ __forceinline__ float from_f<float>(float v) { return v; }

// 4 consecutive elements (16-byte aligned for float, 8 for bf16) as floats.
__device__ __forceinline__ void load4(const bf16* p, float* f) {
  const uint2 raw = *reinterpret_cast<const uint2*>(p);
  const __nv_bfloat162* h = reinterpret_cast<const __nv_bfloat162*>(&raw);
  const float2 a = __bfloat1622float2(h[0]), b = __bfloat1622float2(h[1]);
  f[0] = a.x;
  f[1] = a.y;
  f[2] = b.x;
  f[3] = b.y;
}
__device__ __forceinline__ void load4(const float* p, float* f) {
  const float4 v = *reinterpret_cast<const float4*>(p);
  f[0] = v.x;
  f[1] = v.y;
  f[2] = v.z;
  f[3] = v.w;
}

// 8 bf16 held as raw bits (one 16-byte load) as floats: a bf16 is the top half of the float it
// stands for. The piece is taken by value, so that reading it from shared memory is one 16-byte
// load: taken by reference (and read as bf16 pairs), it became four 4-byte loads at a 16-byte
// stride, 4-way bank conflicts (Nsight Compute: 55% of the persistent decode kernel's
// shared-memory wavefronts were excess ones, all here).
__device__ __forceinline__ void unpack8(const uint4 raw, float* f) {
  const unsigned w[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
  for (int i = 0; i < 4; i++) {
    f[2 * i] = __uint_as_float(w[i] << 16);
    f[2 * i + 1] = __uint_as_float(w[i] & 0xffff0000u);
  }
}

// 8 consecutive elements loaded as raw bits first (so several loads can be in flight), then
// converted: one 16-byte load for bf16, two for float.
template <typename T>
struct Raw8;
template <>
struct Raw8<bf16> {
  uint4 r;
  __device__ __forceinline__ void load(const bf16* p) { r = *reinterpret_cast<const uint4*>(p); }
  __device__ __forceinline__ void zero() { r = make_uint4(0, 0, 0, 0); }
  __device__ __forceinline__ void to_float(float* f) const { unpack8(r, f); }
};
template <>
struct Raw8<float> {
  float4 a, b;
  __device__ __forceinline__ void load(const float* p) {
    a = *reinterpret_cast<const float4*>(p);
    b = *reinterpret_cast<const float4*>(p + 4);
  }
  __device__ __forceinline__ void zero() { a = b = make_float4(0.f, 0.f, 0.f, 0.f); }
  __device__ __forceinline__ void to_float(float* f) const {
    f[0] = a.x;
    f[1] = a.y;
    f[2] = a.z;
    f[3] = a.w;
    f[4] = b.x;
    f[5] = b.y;
    f[6] = b.z;
    f[7] = b.w;
  }
};

// 8 floats stored as 8 consecutive elements with one 16-byte store for bf16 (rounded to nearest,
// as from_f), two for float; p 16-byte aligned.
__device__ __forceinline__ void store8(bf16* p, const float* f) {
  uint4 r;
  __nv_bfloat162* h = reinterpret_cast<__nv_bfloat162*>(&r);
#pragma unroll
  for (int i = 0; i < 4; i++) h[i] = __floats2bfloat162_rn(f[2 * i], f[2 * i + 1]);
  *reinterpret_cast<uint4*>(p) = r;
}
__device__ __forceinline__ void store8(float* p, const float* f) {
  *reinterpret_cast<float4*>(p) = make_float4(f[0], f[1], f[2], f[3]);
  *reinterpret_cast<float4*>(p + 4) = make_float4(f[4], f[5], f[6], f[7]);
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// Sum (MAX = false) or maximum (MAX = true) over the whole block, returned to every thread.
// scratch: 33 floats of shared memory.
template <bool MAX>
__device__ __forceinline__ float block_reduce(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
  v = MAX ? warp_max(v) : warp_sum(v);
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  if (warp == 0) {
    float t = lane < nwarps ? scratch[lane] : (MAX ? -INFINITY : 0.f);
    t = MAX ? warp_max(t) : warp_sum(t);
    if (lane == 0) scratch[32] = t;
  }
  __syncthreads();
  float r = scratch[32];
  __syncthreads();  // scratch may be reused right after
  return r;
}

__device__ __forceinline__ float block_sum(float v, float* scratch) { return block_reduce<false>(v, scratch); }
__device__ __forceinline__ float block_max(float v, float* scratch) { return block_reduce<true>(v, scratch); }

// The softmax weight of head h's attention sink relative to the row maximum m (GPT-OSS: a learned
// logit per head that joins the softmax's denominator and adds no value): exp(sink - m), in base 2
// where m is (scores in log2 units); 0 for a model without sinks (sinks == nullptr).
__device__ __forceinline__ float sink_weight(const float* __restrict__ sinks, int h, float m, bool base2) {
  if (sinks == nullptr) return 0.f;
  return base2 ? exp2f(sinks[h] * 1.4426950408889634f - m) : __expf(sinks[h] - m);
}

// The first key a query at position pos sees: pos + 1 - window with a sliding window (window > 0),
// the start of its own chunk of -window tokens with Llama 4's chunked attention (window < 0), else
// 0.
__device__ __forceinline__ int first_key(int pos, int window) {
  return window > 0 ? max(0, pos + 1 - window) : window < 0 ? pos - pos % (-window) : 0;
}

// ALiBi's bias (Bloom, MPT, Falcon-RW) of key position j for a query at position pos in head h:
// slope_h * (j - pos), with the slopes already in units of scaled scores; 0 without ALiBi.
__device__ __forceinline__ float alibi_bias(const float* __restrict__ alibi, int h, int j, int pos) {
  return alibi ? alibi[h] * (float)(j - pos) : 0.f;
}

// Gemma 2's attention soft-capping of a score s whose softmax scale is still to be applied:
// cap * tanh(s * scale / cap), divided back by scale; s itself where cap is 0.
__device__ __forceinline__ float softcap_score(float s, float scale, float cap) {
  return cap > 0.f ? cap / scale * tanhf(s * scale / cap) : s;
}
