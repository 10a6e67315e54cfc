package dev.barista.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each step on hand-made logits, with expected values worked out by hand. */
class LogitsProcessorsTest {

  /** Token ids whose logit is still finite. */
  static Set<Integer> kept(float[] logits) {
    Set<Integer> s = new TreeSet<>();
    for (int i = 0; i < logits.length; i++) if (logits[i] != Float.NEGATIVE_INFINITY) s.add(i);
    return s;
  }

  /** Logits whose softmax is exactly the given probabilities. */
  static float[] fromProbs(double... p) {
    float[] l = new float[p.length];
    for (int i = 0; i < p.length; i++) l[i] = (float) Math.log(p[i]);
    return l;
  }

  @Test
  void topKKeepsTheKLargestAndTiesWithTheKth() {
    float[] l = {1, 5, 3, 4, 2, 0};
    LogitsProcessors.applyTopK(l, 3);
    assertEquals(Set.of(1, 2, 3), kept(l));
    float[] ties = {1, 5, 3, 3, 2};
    LogitsProcessors.applyTopK(ties, 2);
    assertEquals(Set.of(1, 2, 3), kept(ties));
    float[] all = {1, 2};
    LogitsProcessors.applyTopK(all, 0);
    assertEquals(Set.of(0, 1), kept(all));
  }

  @Test
  void topPKeepsTheSmallestTopSetReachingP() {
    // probabilities 0.05, 0.5, 0.1, 0.2, 0.15 (ids 0..4); by rank: 1 (0.5), 3 (0.2), 4 (0.15), 2, 0
    double[] p = {0.05, 0.5, 0.1, 0.2, 0.15};
    float[] l = fromProbs(p);
    LogitsProcessors.applyTopP(l, 0.4);
    assertEquals(Set.of(1), kept(l));
    l = fromProbs(p);
    LogitsProcessors.applyTopP(l, 0.69);
    assertEquals(Set.of(1, 3), kept(l));
    l = fromProbs(p);
    LogitsProcessors.applyTopP(l, 0.75);
    assertEquals(Set.of(1, 3, 4), kept(l));
    l = fromProbs(p);
    LogitsProcessors.applyTopP(l, 0.96);
    assertEquals(Set.of(0, 1, 2, 3, 4), kept(l));
    l = fromProbs(p);
    LogitsProcessors.applyTopP(l, 1.0);
    assertEquals(Set.of(0, 1, 2, 3, 4), kept(l));
  }

  @Test
  void topPOnALargeFlatVocabulary() {
    // 10,000 equal tokens and one with half the mass: top_p 0.5 keeps just it, 0.75 keeps it and
    // 5,000 of the others (each holds 0.5 / 10000).
    float[] l = new float[10_001];
    l[1234] = (float) Math.log(10_000);
    LogitsProcessors.applyTopP(l, 0.4999);
    assertEquals(Set.of(1234), kept(l));
    float[] m = new float[10_001];
    m[1234] = (float) Math.log(10_000);
    LogitsProcessors.applyTopP(m, 0.75);
    assertEquals(5_001, kept(m).size(), 2);
  }

  @Test
  void minPKeepsTokensAtLeastMinPTimesTheTop() {
    float[] l = fromProbs(0.5, 0.2, 0.15, 0.1, 0.05);
    LogitsProcessors.applyMinP(l, 0.25); // threshold 0.125
    assertEquals(Set.of(0, 1, 2), kept(l));
    float[] m = fromProbs(0.5, 0.2, 0.15, 0.1, 0.05);
    LogitsProcessors.applyMinP(m, 0.0);
    assertEquals(5, kept(m).size());
  }

  @Test
  void repetitionFrequencyAndPresencePenalties() {
    float[] l = {2f, -2f, 1f, 0.5f};
    BitSet seen = new BitSet();
    seen.set(0);
    seen.set(1);
    seen.set(2);
    LogitsProcessors.applyPenalties(l, seen, Map.of(2, 3), 2.0, 0.5, 0.25);
    // 0: 2/2; 1: -2*2; 2: 1/2 - 0.5*3 - 0.25; 3 untouched
    assertArrayEquals(new float[] {1f, -4f, -1.25f, 0.5f}, l, 1e-6f);
  }

  @Test
  void logitBiasAllowedTokensAndBan() {
    float[] l = {0, 0, 0, 0};
    LogitsProcessors.addBias(l, Map.of(3, 5.0, 0, -1.5));
    assertArrayEquals(new float[] {-1.5f, 0, 0, 5f}, l);
    LogitsProcessors.keepOnly(l, List.of(0, 2));
    assertEquals(Set.of(0, 2), kept(l));
    LogitsProcessors.ban(l, new int[] {2});
    assertEquals(Set.of(0), kept(l));
  }

  @Test
  void badWordsBanTheLastTokenOnlyAfterTheirPrefix() {
    List<int[]> bad = List.of(new int[] {4}, new int[] {7, 9}, new int[] {8, 7, 5});
    float[] l = new float[10];
    LogitsProcessors.banBadWords(l, bad, new int[] {1, 7});
    assertEquals(Set.of(0, 1, 2, 3, 5, 6, 7, 8), kept(l)); // 4 always, 9 after 7; 5 needs 8,7
    float[] m = new float[10];
    LogitsProcessors.banBadWords(m, bad, new int[] {8, 7});
    assertEquals(Set.of(0, 1, 2, 3, 6, 7, 8), kept(m));
    float[] n = new float[10];
    LogitsProcessors.banBadWords(n, bad, new int[] {});
    assertEquals(9, kept(n).size());
  }

  @Test
  void temperatureDividesLogits() {
    float[] l = {1, -2, 4};
    LogitsProcessors.applyTemperature(l, 0.5);
    assertArrayEquals(new float[] {2, -4, 8}, l);
  }

  @Test
  void logprobsRankAndTopK() {
    float[] l = fromProbs(0.1, 0.4, 0.2, 0.3);
    TokenLogprobs lp = Logprobs.of(l, 2, 2);
    assertEquals(Math.log(0.2), lp.logprob(), 1e-6);
    assertEquals(3, lp.rank());
    assertArrayEquals(new int[] {1, 3}, lp.topTokenIds());
    assertArrayEquals(new float[] {(float) Math.log(0.4), (float) Math.log(0.3)}, lp.topLogprobs(), 1e-6f);
    assertEquals(4, Logprobs.of(l, 0, -1).topTokenIds().length);
    assertEquals(0, Logprobs.of(l, 0, 0).topTokenIds().length);
  }

  @Test
  void fullVocabularyLogprobsAreSortedAndFast() {
    float[] l = new float[151_936];
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < l.length; i++) l[i] = (float) rnd.nextGaussian();
    l[77] = l[78] = 9f; // a tie: the lower id first
    long t0 = System.nanoTime();
    TokenLogprobs lp = Logprobs.of(l, 5, -1);
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "took too long");
    assertEquals(l.length, lp.topTokenIds().length);
    assertEquals(77, lp.topTokenIds()[0]);
    assertEquals(78, lp.topTokenIds()[1]);
    for (int i = 1; i < lp.topLogprobs().length; i++) {
      assertTrue(lp.topLogprobs()[i - 1] >= lp.topLogprobs()[i], "sorted at " + i);
    }
  }
}
