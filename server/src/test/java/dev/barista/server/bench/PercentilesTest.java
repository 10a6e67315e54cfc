package dev.barista.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void interpolatesLikeNumpy() {
    // numpy.percentile([1, 2, 3, 4, 10], [50, 99]) = [3.0, 9.76]; mean 4.0
    Percentiles p = new Percentiles(new double[] {10, 2, 4, 1, 3});
    assertEquals(3.0, p.percentile(50), 1e-12);
    assertEquals(9.76, p.percentile(99), 1e-12);
    assertEquals(4.0, p.mean(), 1e-12);
  }

  @Test
  void poissonGapsHaveTheRequestedMean() {
    Random rng = new Random(1);
    double sum = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) sum += ServeBenchmark.gamma(rng, 1.0, 1.0 / 4);
    assertEquals(0.25, sum / n, 0.005); // rate 4/s -> mean gap 0.25 s
  }

  @Test
  void randomDatasetHonoursLengthsAndVocabulary() {
    var reqs = RandomDataset.generate(50, 10, 5, 0.5, 7, 0);
    for (BenchRequest r : reqs) {
      assertEquals(true, r.prompt().size() >= 5 && r.prompt().size() <= 15);
      assertEquals(true, r.outputLen() >= 2 && r.outputLen() <= 8);
      assertEquals(true, r.prompt().stream().allMatch(t -> t >= 0 && t < 7));
    }
  }
}
