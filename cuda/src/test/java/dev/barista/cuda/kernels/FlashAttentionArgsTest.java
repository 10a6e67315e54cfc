package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class FlashAttentionArgsTest {
  @Test
  void parametersFollowTheKernelSignature() {
    try (Arena a = Arena.ofConfined()) {
      // q, q_stride, k_cache, v_cache, block_tables, bt_stride, tiles, positions, block_size, nq,
      // nkv, D, scale, window, out, out_stride, softcap, sinks, alibi
      var io = new Kernels.AttentionIo(0x1000, 4096, 0x2000, 0x3000, 0x4000, 33, 0x5000, 0x6000, 0x7000, 0x8000, 0x9000, 2048,
          0xb000, 0xc000);
      KernelArgs args = FlashAttention.pack(new KernelArgs(a), io, 0xa000, 16, 16, 8, 128, 0.088f, 4096, 50f);
      long[] want = {0x1000, 4096, 0x2000, 0x3000, 0x4000, 33, 0xa000, 0x6000, 16, 16, 8, 128,
          Float.floatToRawIntBits(0.088f), 4096, 0x9000, 2048, Float.floatToRawIntBits(50f), 0xb000, 0xc000};
      assertEquals(want.length, args.count());
      for (int i = 0; i < want.length; i++) assertEquals(want[i], args.slotBits(i), "parameter " + i);
    }
  }

  @Test
  void pagedAttentionParametersFollowBothVersionsSignatures() {
    try (Arena a = Arena.ofConfined()) {
      var io = new Kernels.AttentionIo(0x1000, 4096, 0x2000, 0x3000, 0x4000, 33, 0x5000, 0x6000, 0x7000, 0x8000, 0x9000, 2048);
      var split = new AttentionSplit(3, 256);
      // q, q_stride, k_cache, v_cache, block_tables, bt_stride, token_seq, positions, block_size, nq,
      // nkv, D, scale, window, partition, splits, part_acc, part_ml, out, out_stride, [fresh_keys,] softcap,
      // sinks, alibi (0: none)
      long[] common = {0x1000, 4096, 0x2000, 0x3000, 0x4000, 33, 0x5000, 0x6000, 16, 16, 8, 128,
          Float.floatToRawIntBits(0.088f), 4096, 256, 3, 0x7000, 0x8000, 0x9000, 2048};
      long cap = Float.floatToRawIntBits(30f);
      KernelArgs v1 = Kernels.packAttention(new KernelArgs(a), io, 16, 16, 8, 128, 0.088f, 4096, split, -1, 30f);
      assertArgs(concat(common, cap, 0, 0), v1);
      KernelArgs v2 = Kernels.packAttention(new KernelArgs(a), io, 16, 16, 8, 128, 0.088f, 4096, split, 1, 30f);
      assertArgs(concat(common, 1, cap, 0, 0), v2);
    }
  }

  private static long[] concat(long[] head, long... tail) {
    long[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  private static void assertArgs(long[] want, KernelArgs args) {
    assertEquals(want.length, args.count());
    for (int i = 0; i < want.length; i++) assertEquals(want[i], args.slotBits(i), "parameter " + i);
  }

  @Test
  void aRunOfTokensInTheMiddleOfAStepSeesItsOwnRows() {
    var io = new Kernels.AttentionIo(0x1000, 4096, 0x2000, 0x3000, 0x4000, 33, 0x5000, 0x6000, 0x7000, 0x8000, 0x9000, 2048);
    var r = FlashAttention.fromToken(io, 3);
    assertEquals(0x1000 + 2L * 3 * 4096, r.q()); // bf16 rows of q_stride
    assertEquals(0x5000 + 4L * 3, r.tokenSeq());
    assertEquals(0x6000 + 4L * 3, r.positions());
    assertEquals(0x9000 + 2L * 3 * 2048, r.out());
    assertEquals(io.kCache(), r.kCache());
    assertEquals(io.blockTables(), r.blockTables());
    assertEquals(io.partAcc(), r.partAcc());
    assertEquals(io.sinks(), r.sinks());
    assertEquals(io.alibi(), r.alibi());
  }
}
