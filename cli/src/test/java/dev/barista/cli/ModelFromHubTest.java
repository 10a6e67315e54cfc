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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `barista generate --model ORG/NAME` in a real child process whose HF_ENDPOINT points at a
 * local hub: the model is fetched into the HF cache, then served from it offline.
 */
class ModelFromHubTest {
  private static final Path TINY_LLAMA = Path.of("../engine/src/test/resources/models/tiny-llama");
  @TempDir Path home;

  private record Result(int exit, String out, String err) {}

  private Result barista(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.barista.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("AWS_"));
    pb.environment().putAll(env);
    File out = home.resolve("out.txt").toFile();
    File err = home.resolve("err.txt").toFile();
    Process p = pb.redirectOutput(out).redirectError(err).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "barista did not finish");
    return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  private static List<Integer> tokenIds(String jsonLine) throws Exception {
    List<Integer> ids = new ArrayList<>();
    new ObjectMapper().readTree(jsonLine).get("token_ids").forEach(n -> ids.add(n.asInt()));
    return ids;
  }

  @Test
  void generateFetchesARepoIdThenRunsOfflineFromTheCache() throws Exception {
    String[] gen = {"generate", "--model", "acme/tiny-llama", "--prompt-ids", "1,5,9", "--max-tokens", "5",
        "--temperature", "0", "--json"};
    Result online;
    try (FakeHub hub = new FakeHub("acme/tiny-llama")) {
      for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) {
        hub.file(f, Files.readAllBytes(TINY_LLAMA.resolve(f)), f.endsWith(".safetensors"));
      }
      online = barista(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString(),
          "HF_TOKEN", "hf_test_token"), gen);
      assertEquals(0, online.exit(), online.err());
      assertTrue(hub.requestsTo("cdn").stream().allMatch(r -> r.authorization() == null), "token leaked to the CDN");
      assertTrue(hub.requestsTo("hub").stream().allMatch(r -> "Bearer hf_test_token".equals(r.authorization())));
    }
    Path snapshot = home.resolve("hf/hub/models--acme--tiny-llama/snapshots/" + FakeHub.COMMIT);
    assertArrayEquals(Files.readAllBytes(TINY_LLAMA.resolve("model.safetensors")),
        Files.readAllBytes(snapshot.resolve("model.safetensors")));
    assertEquals(5, tokenIds(online.out().strip()).size(), online.out());

    // the hub is gone: HF_HUB_OFFLINE serves the same model from the cache
    Result offline = barista(Map.of("HF_ENDPOINT", "http://127.0.0.1:9", "HF_HOME", home.resolve("hf").toString(),
        "HF_HUB_OFFLINE", "1"), gen);
    assertEquals(0, offline.exit(), offline.err());
    assertEquals(tokenIds(online.out().strip()), tokenIds(offline.out().strip()));

    // and the same ids as loading the folder itself
    Result local = barista(Map.of(), "generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1,5,9",
        "--max-tokens", "5", "--temperature", "0", "--json");
    assertEquals(tokenIds(local.out().strip()), tokenIds(online.out().strip()));
  }

  @Test
  void generateAtARevisionUsesThatCommitsFiles() throws Exception {
    Path tinyQwen2 = Path.of("../engine/src/test/resources/models/tiny-qwen2");
    String commit = "fedcba9876543210fedcba9876543210fedcba98";
    String[] gen = {"generate", "--model", "acme/tiny", "--prompt-ids", "1,5,9", "--max-tokens", "5",
        "--temperature", "0", "--json"};
    ChildBarista.Result atTag;
    ChildBarista.Result unknown;
    try (FakeHub hub = new FakeHub("acme/tiny")) {
      FakeHub.Revision v2 = hub.revision("v2", commit);
      for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) {
        hub.file(f, Files.readAllBytes(TINY_LLAMA.resolve(f)), f.endsWith(".safetensors"));
        v2.file(f, Files.readAllBytes(tinyQwen2.resolve(f)), f.endsWith(".safetensors"));
      }
      Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString());
      atTag = ChildBarista.run(home.resolve("tag"), env, concat(gen, "--revision", "v2"));
      unknown = ChildBarista.run(home.resolve("unknown"), env, concat(gen, "--revision", "v9"));
    }
    assertEquals(0, atTag.exit(), atTag.err());
    assertEquals(commit, Files.readString(home.resolve("hf/hub/models--acme--tiny/refs/v2")).strip());
    assertArrayEquals(Files.readAllBytes(tinyQwen2.resolve("model.safetensors")),
        Files.readAllBytes(home.resolve("hf/hub/models--acme--tiny/snapshots/" + commit + "/model.safetensors")));
    Result local = barista(Map.of(), "generate", "--model", tinyQwen2.toString(), "--prompt-ids", "1,5,9",
        "--max-tokens", "5", "--temperature", "0", "--json");
    assertEquals(tokenIds(local.out().strip()), tokenIds(atTag.out().strip()));

    assertEquals(1, unknown.exit());
    List<String> lines = unknown.err().lines().filter(l -> !l.startsWith("WARNING")).toList();
    assertEquals(1, lines.size(), unknown.err());
    assertTrue(lines.get(0).contains("acme/tiny@v9: not found (HTTP 404)"), lines.get(0));
  }

  @Test
  void tokenizerRevisionTakesOnlyTheTokenizerFromThatRevision() throws Exception {
    Path trained = Path.of("../tokenizer/src/test/resources/trained");
    Path mainTokenizer = trained.resolve("roberta_bytelevel");
    Path v2Tokenizer = trained.resolve("bert_wordpiece");
    String commit = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    ChildBarista.Result r;
    try (FakeHub hub = new FakeHub("acme/tok")) {
      for (String f : List.of("config.json", "generation_config.json", "model.safetensors"))
        hub.file(f, Files.readAllBytes(TINY_LLAMA.resolve(f)), f.endsWith(".safetensors"));
      hub.file("tokenizer.json", Files.readAllBytes(mainTokenizer.resolve("tokenizer.json")), false);
      hub.revision("v2", commit).file("tokenizer.json", Files.readAllBytes(v2Tokenizer.resolve("tokenizer.json")), false)
          .file("model.safetensors", new byte[] {1, 2, 3}, true); // never fetched: weights come from main
      r = ChildBarista.run(home.resolve("tok"), Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME",
          home.resolve("hf").toString()), "generate", "--model", "acme/tok", "--tokenizer-revision", "v2",
          "--prompt-ids", "1,5,9", "--max-tokens", "8", "--temperature", "0", "--json");
    }
    assertEquals(0, r.exit(), r.err());
    var out = new ObjectMapper().readTree(r.out().strip());
    int[] ids = tokenIds(r.out().strip()).stream().mapToInt(Integer::intValue).toArray();
    assertEquals(dev.barista.tokenizer.Tokenizer.fromDirectory(v2Tokenizer).decode(ids, true), out.get("text").asText());
    assertNotEquals(dev.barista.tokenizer.Tokenizer.fromDirectory(mainTokenizer).decode(ids, true), out.get("text").asText());
    Path v2 = home.resolve("hf/hub/models--acme--tok/snapshots/" + commit);
    assertTrue(Files.exists(v2.resolve("tokenizer.json")));
    assertFalse(Files.exists(v2.resolve("model.safetensors")), "weights fetched at the tokenizer revision");
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  @Test
  void anUnknownRepoIsOneClearLine() throws Exception {
    try (FakeHub hub = new FakeHub("acme/other")) {
      Result r = barista(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString()),
          "generate", "--model", "acme/missing", "--prompt-ids", "1");
      assertEquals(1, r.exit());
      List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING")).toList();
      assertEquals(1, lines.size(), r.err());
      assertTrue(lines.get(0).startsWith("error: no folder acme/missing; as a Hugging Face repo: acme/missing@main: "
          + "not found (HTTP 404)"), lines.get(0));
    }
  }
}
