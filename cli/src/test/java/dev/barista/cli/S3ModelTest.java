package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.hub.StreamSource;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `barista generate --model s3://...` against a real S3-compatible server: by default the store is
 * downloaded, then loaded; with --load-format runai_streamer (alias stream) the weights are streamed
 * and never written locally. Both give the top-20 logprobs of a load from the local folder.
 */
class S3ModelTest {
  /** Two safetensors shards and an index: the index must be streamed too, not copied. */
  private static final Path TINY_QWEN3 = Path.of("../engine/src/test/resources/models/tiny-qwen3");
  private static final String URI = "s3://models/acme/tiny-qwen3";
  @TempDir static Path tmp;
  static S3ProxyProcess s3;

  @BeforeAll
  static void upload() throws Exception {
    s3 = new S3ProxyProcess(tmp.resolve("s3"), "models");
    try (BlobStore store = BlobStores.open(URI, s3.settings(), 4); Stream<Path> files = Files.list(TINY_QWEN3)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().equals("reference.json")).toList())
        store.put(f.getFileName().toString(), f);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) s3.close();
  }

  private static String[] generate(String model, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", model, "--prompt-ids", "1,5,9",
        "--max-tokens", "6", "--temperature", "0", "--logprobs", "20", "--json"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static ChildBarista.Result inOwnHfHome(String name, String... args) throws Exception {
    Map<String, String> env = new HashMap<>(s3.env());
    env.put("HF_HOME", tmp.resolve(name).resolve("hf").toString());
    ChildBarista.Result r = ChildBarista.run(tmp.resolve(name), env, args);
    assertEquals(0, r.exit(), r.err());
    return r;
  }

  private static Path storeFolder(String name) {
    return tmp.resolve(name).resolve("hf/barista/stores/s3/models/acme/tiny-qwen3");
  }

  private static List<String> safetensorsIn(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".safetensors")).sorted().toList();
    }
  }

  @Test
  void streamedAndDownloadedLoadsGiveTheLogprobsOfALocalLoad() throws Exception {
    GenerateCommandTest.Run local = GenerateCommandTest.run(generate(TINY_QWEN3.toString()));
    assertEquals(0, local.exit(), local.err());
    assertEquals(6, local.out().split("\"logprob\"").length - 1, local.out());

    ChildBarista.Result streamed = inOwnHfHome("streamed", generate(URI, "--load-format", "runai_streamer"));
    assertEquals(local.out(), streamed.out());
    assertEquals(List.of(), safetensorsIn(storeFolder("streamed")), "weights were written locally");
    assertTrue(StreamSource.read(storeFolder("streamed")).isPresent());

    ChildBarista.Result downloaded = inOwnHfHome("downloaded", generate(URI));
    assertEquals(local.out(), downloaded.out());
    Path dir = storeFolder("downloaded");
    assertEquals(List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"),
        safetensorsIn(dir));
    assertArrayEquals(Files.readAllBytes(TINY_QWEN3.resolve("model-00002-of-00002.safetensors")),
        Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors")));
    assertFalse(StreamSource.read(dir).isPresent());
  }

  @Test
  void streamIsRunaiStreamersAlias() {
    assertTrue(dev.barista.engine.api.EngineArgs.builder(URI).loadFormat("stream").build().streamsWeights());
    assertTrue(dev.barista.engine.api.EngineArgs.builder(URI).loadFormat("RUNAI_STREAMER").build().streamsWeights());
    assertFalse(dev.barista.engine.api.EngineArgs.builder(URI).build().streamsWeights());
  }

  @Test
  void anUnknownLoadFormatIsOneLine() {
    GenerateCommandTest.assertOneLineError(GenerateCommandTest.run(generate(URI, "--load-format", "tensorizer")),
        "load_format must be one of auto, safetensors, runai_streamer, stream, dummy, got tensorizer");
  }
}
