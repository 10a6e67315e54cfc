package dev.barista.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * vLLM bench's "random" dataset: prompts of uniformly random token ids. Lengths are drawn
 * uniformly from [len * (1 - rangeRatio), len * (1 + rangeRatio)].
 */
public final class RandomDataset {
  private RandomDataset() {}

  public static List<BenchRequest> generate(int numPrompts, int inputLen, int outputLen,
      double rangeRatio, int vocabSize, long seed) {
    if (numPrompts < 1) throw new IllegalArgumentException("--num-prompts must be at least 1");
    if (inputLen < 1 || outputLen < 1) {
      throw new IllegalArgumentException("--random-input-len and --random-output-len must be >= 1");
    }
    if (rangeRatio < 0 || rangeRatio >= 1) {
      throw new IllegalArgumentException("--random-range-ratio must be in [0, 1)");
    }
    Random rng = new Random(seed);
    List<BenchRequest> out = new ArrayList<>(numPrompts);
    for (int i = 0; i < numPrompts; i++) {
      int in = draw(rng, inputLen, rangeRatio);
      int outLen = draw(rng, outputLen, rangeRatio);
      List<Integer> prompt = new ArrayList<>(in);
      for (int t = 0; t < in; t++) prompt.add(rng.nextInt(vocabSize));
      out.add(new BenchRequest(prompt, outLen));
    }
    return out;
  }

  private static int draw(Random rng, int len, double ratio) {
    int lo = Math.max(1, (int) Math.floor(len * (1 - ratio)));
    int hi = Math.max(lo, (int) Math.ceil(len * (1 + ratio)));
    return lo + rng.nextInt(hi - lo + 1);
  }
}
