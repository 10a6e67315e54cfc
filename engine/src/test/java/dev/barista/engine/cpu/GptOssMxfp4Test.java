package dev.barista.engine.cpu;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ModelFolders.RawTensor;
import dev.barista.engine.testing.SequenceDriver;
import dev.barista.engine.weights.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPT-OSS checkpoints ship their experts as MXFP4 blocks and scales, [experts, out, in / 32, 16]
 * and [experts, out, in / 32], the transpose of the bf16 checkpoints' [experts, in, out]. tiny-gptoss
 * with random MXFP4 experts must give the logits of the same model whose bf16 experts hold the
 * values those blocks stand for, decoded here from the format's tables.
 */
class GptOssMxfp4Test {
  private static final float[] E2M1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};
  private static final int EXPERTS = 4;
  private static final int HIDDEN = 64;
  private static final int INTER = 160;

  @Test
  void mxfp4ExpertsGiveTheLogitsOfTheirBf16Values(@TempDir Path tmp) throws Exception {
    Path quantized = ModelFolders.copy("tiny-gptoss", Files.createDirectory(tmp.resolve("mxfp4")));
    Path plain = ModelFolders.copy("tiny-gptoss", Files.createDirectory(tmp.resolve("bf16")));
    Map<String, RawTensor> original = ModelFolders.readTensors(plain);
    Map<String, RawTensor> q = new LinkedHashMap<>();
    Map<String, RawTensor> b = new LinkedHashMap<>();
    Random rnd = new Random(5);
    for (var e : original.entrySet()) {
      String name = e.getKey();
      boolean gateUp = name.endsWith("experts.gate_up_proj");
      if (!gateUp && !name.endsWith("experts.down_proj")) {
        q.put(name, e.getValue());
        b.put(name, e.getValue());
        continue;
      }
      int out = gateUp ? 2 * INTER : HIDDEN;
      int in = gateUp ? HIDDEN : INTER;
      byte[] blocks = new byte[EXPERTS * out * in / 2];
      rnd.nextBytes(blocks);
      byte[] scales = new byte[EXPERTS * out * in / 32];
      for (int i = 0; i < scales.length; i++) scales[i] = (byte) (119 + rnd.nextInt(3)); // 2^-8 .. 2^-6
      q.put(name + "_blocks", RawTensor.u8(new long[] {EXPERTS, out, in / 32, 16}, blocks));
      q.put(name + "_scales", RawTensor.u8(new long[] {EXPERTS, out, in / 32}, scales));
      b.put(name, bf16InOut(blocks, scales, out, in));
    }
    ModelFolders.writeTensors(quantized, q);
    ModelFolders.writeTensors(plain, b);
    int[] prompt = {5, 77, 301, 42, 9, 100, 3, 250, 17};
    double[][] expected = logprobs(plain, prompt);
    double[][] actual = logprobs(quantized, prompt);
    for (int i = 0; i < expected.length; i++) {
      ReferenceLogitsTest.assertClose(expected[i], actual[i], 1e-6, "position " + i);
    }
  }

  /** The bf16 tensor [experts, in, out] of the values the blocks and scales ([experts, out, in]) encode. */
  private static RawTensor bf16InOut(byte[] blocks, byte[] scales, int out, int in) {
    ByteBuffer data = ByteBuffer.allocate(EXPERTS * out * in * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int e = 0; e < EXPERTS; e++) {
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          long value = ((long) e * out + o) * in + i; // the value's index in the quantized layout
          int pair = blocks[(int) (value / 2)] & 0xFF;
          int code = value % 2 == 0 ? pair & 0xF : pair >>> 4;
          float v = E2M1[code] * (float) Math.pow(2, (scales[(int) (value / 32)] & 0xFF) - 127);
          data.putShort((int) ((((long) e * in + i) * out + o) * 2), (short) (Float.floatToIntBits(v) >>> 16));
        }
      }
    }
    return new RawTensor(DType.BF16, new long[] {EXPERTS, in, out}, data.array());
  }

  /** The log-softmax of every position's logits. */
  private static double[][] logprobs(Path dir, int[] prompt) {
    try (CpuModelRunner runner = ModelLoader.load(dir, LoadOptions.auto())) {
      runner.allocateKvCache(16, 16);
      int vocab = runner.config().vocabSize();
      SamplingParams params = SamplingParams.builder().temperature(0).logprobs(-1).promptLogprobs(-1).maxTokens(null)
          .build();
      SequenceDriver seq = new SequenceDriver(SequenceSamplingState.create(params, prompt, List.of(), vocab), 16,
          new SequenceDriver.BlockCounter());
      StepResult.SliceResult r = seq.step(runner, Integer.MAX_VALUE, true);
      double[][] out = new double[prompt.length][];
      for (int i = 0; i < prompt.length - 1; i++) {
        out[i] = SequenceDriver.fullDistribution(r.promptLogprobs().get(i), vocab);
      }
      out[prompt.length - 1] = SequenceDriver.fullDistribution(r.sampledLogprobs(), vocab);
      return out;
    }
  }
}
