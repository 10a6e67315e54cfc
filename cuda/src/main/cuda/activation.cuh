// The MLP activations, by the engine's Activation order, shared by act_mul (elementwise.cu) and the
// expert projections (moe.cu).
#pragma once
#include "common.cuh"

// act(g) * u: 0 SiLU, 1 the tanh GELU (x / (1 + exp(-2u)), u = sqrt(2/pi)(x + 0.044715x^3), the
// same as 0.5x(1 + tanh u)), 2 the exact GELU (erf), 3 ReLU, 4 squared ReLU (Nemotron).
__device__ __forceinline__ float act_times(float g, float u, int act) {
  if (act == 0) return g / (1.f + __expf(-g)) * u;
  if (act == 1) return g / (1.f + __expf(-1.5957691216057308f * g * (1.f + 0.044715f * g * g))) * u;
  if (act == 3) return fmaxf(g, 0.f) * u;
  if (act == 4) return fmaxf(g, 0.f) * fmaxf(g, 0.f) * u;
  return 0.5f * g * (1.f + erff(g * 0.70710678118654752f)) * u;
}

// An expert's activation: act_times, or where limit > 0 GPT-OSS's clamped SwiGLU, with the gate
// clamped to at most limit and up to [-limit, limit]: gate * sigmoid(alpha * gate) * (up + 1).
__device__ __forceinline__ float expert_act(float g, float u, int act, float alpha, float limit) {
  if (limit <= 0.f) return act_times(g, u, act);
  g = fminf(g, limit);
  u = fminf(fmaxf(u, -limit), limit);
  return g / (1.f + __expf(-alpha * g)) * (u + 1.f);
}
