// A logit and its token as one 64-bit word ordered like the samplers' argmax, so that atomicMax
// reduces a row's greedy token across blocks (the persistent kernel's LM head hands it to
// sample_rows_full this way). Shared by sampling_full.cu and decode_persistent.cu.
#pragma once

// Larger float <=> larger key; -0 and +0 share a key, as they compare equal.
__device__ __forceinline__ unsigned order_key(float f) {
  const unsigned b = __float_as_uint(f == 0.f ? 0.f : f);
  return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

// Larger logits give larger words and, among equal logits, the lower token does (the first index
// among equal maxima). No word of a number is 0, so 0 stands for "none yet". Offer only logits
// above -inf: the samplers' scans never pick NaN or -inf (a row without one answers token 0).
__device__ __forceinline__ unsigned long long greedy_word(float logit, int token) {
  return ((unsigned long long)order_key(logit) << 32) | (unsigned)~token;
}

__device__ __forceinline__ int greedy_token(unsigned long long word) { return (int)~(unsigned)word; }
