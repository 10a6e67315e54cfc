package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.hub.FakeHub;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `barista prefetch hf` as a user runs it: a child process, HF_ENDPOINT at a local hub. */
class PrefetchCommandTest {
  private static final Path TINY_QWEN3 = Path.of("../engine/src/test/resources/models/tiny-qwen3");
  @TempDir Path home;

  @Test
  void prefetchWithShardsWritesRanksAndAManifest() throws Exception {
    try (FakeHub hub = new FakeHub("acme/tiny-qwen3")) {
      try (var files = Files.list(TINY_QWEN3)) {
        for (Path f : files.filter(p -> !p.getFileName().toString().equals("reference.json")).toList()) {
          String n = f.getFileName().toString();
          hub.file(n, Files.readAllBytes(f), n.endsWith(".safetensors"));
        }
      }
      Path to = home.resolve("tp2");
      String uri = to.toUri().toString();
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), "dev.barista.cli.Main",
          "prefetch", "hf", "acme/tiny-qwen3", "--to", uri, "--shard", "tp=2"));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().keySet().removeIf(k -> k.startsWith("HF_"));
      pb.environment().put("HF_ENDPOINT", hub.endpoint().toString());
      pb.environment().put("HF_HOME", home.resolve("hf").toString());
      File out = home.resolve("out.txt").toFile();
      Process p = pb.redirectErrorStream(true).redirectOutput(out).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      String log = Files.readString(out.toPath(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), log);
      assertTrue(log.contains("prefetched acme/tiny-qwen3@main to " + uri), log);

      var manifest = new ObjectMapper().readTree(to.resolve("barista-shard.json").toFile());
      assertEquals(2, manifest.get("tensorParallelSize").asInt());
      assertEquals("COLUMN", manifest.get("splits").get("model.layers.0.mlp.gate_proj.weight").asText());
      assertTrue(Files.exists(to.resolve("rank-1/model-00002-of-00002.safetensors")));
      assertTrue(Files.exists(to.resolve("rank-0/config.json")));
    }
  }
}
