package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.barista.engine.config.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The configs the GPU benchmarks load with dummy weights (cuda/gpu/configs) parse, and the CUDA runner takes them. */
class BenchmarkConfigsTest {
  @Test
  void everyBenchmarkConfigParsesAndRunsOnTheGpu() throws Exception {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(Path.of("gpu/configs"))) {
      dirs = s.filter(d -> Files.isRegularFile(d.resolve("config.json"))).sorted().toList();
    }
    assertFalse(dirs.isEmpty());
    for (Path d : dirs) assertNull(CudaRunnerProvider.declined(ModelConfig.load(d)), d.toString());
  }
}
