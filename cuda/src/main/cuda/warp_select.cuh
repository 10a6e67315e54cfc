// Warp-level steps shared by the sampling kernels (sampling.cu, sampling_full.cu). Macros, not
// inline functions: the kernels were verified on a GPU, and as functions nvcc schedules them
// differently (other machine code); a macro expands to exactly the code that was verified.
#pragma once

// Butterfly argmax over the warp on the variables best (float) and bi (int): every lane ends with
// the largest value and, among equal maxima, the lowest index.
#define WARP_ARGMAX(best, bi)                                      \
  _Pragma("unroll") for (int o = 16; o > 0; o >>= 1) {             \
    const float ov = __shfl_xor_sync(0xffffffffu, best, o);        \
    const int oi = __shfl_xor_sync(0xffffffffu, bi, o);            \
    if (ov > best || (ov == best && oi < bi)) {                    \
      best = ov;                                                   \
      bi = oi;                                                     \
    }                                                              \
  }

// Inclusive prefix sum of the variable v (of type T) over the lanes of the warp, in lane order.
#define WARP_INCLUSIVE_SCAN(T, v, lane)                            \
  _Pragma("unroll") for (int o = 1; o < 32; o <<= 1) {             \
    const T n = __shfl_up_sync(0xffffffffu, v, o);                 \
    if (lane >= o) v += n;                                         \
  }
