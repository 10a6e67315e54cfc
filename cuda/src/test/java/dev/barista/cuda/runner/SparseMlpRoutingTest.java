package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.cuda.kernels.ExpertKernels;
import dev.barista.engine.config.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which moe.cu routing each grouped router maps to (no GPU needed). */
class SparseMlpRoutingTest {
  private static final Path MODELS = Path.of("../engine/src/test/resources/models");

  private static ExpertKernels.Routing routing(String model) {
    return SparseMlp.routing(ModelConfig.load(MODELS.resolve(model)).moe());
  }

  @Test
  void deepseekV3RoutesBySigmoidGroups() {
    ExpertKernels.Routing r = routing("tiny-deepseekv3");
    assertEquals(new ExpertKernels.Routing(true, true, 2, 1, false, 2.5f), r);
  }

  @Test
  void deepseekV2GreedyIsTheSoftmaxTopKTimesTheScalingFactor() {
    assertEquals(new ExpertKernels.Routing(false, false, 1, 1, true, 1.5f), routing("tiny-deepseekv2"));
  }

  @Test
  void deepseekV2GroupLimitedGreedyRanksGroupsByTheirBestExpert() {
    assertEquals(new ExpertKernels.Routing(false, false, 4, 2, true, 2.0f), routing("tiny-deepseekv2-grouped"));
  }

  @Test
  void ernieMoeChoosesByCorrectedSoftmaxScoresAndRenormalises() {
    ExpertKernels.Routing r = routing("tiny-ernie45moe");
    assertEquals(false, r.sigmoid());
    assertEquals(true, r.normalize());
    assertEquals(1, r.groups());
    assertEquals(1f, r.scale());
  }
}
