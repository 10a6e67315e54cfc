package dev.barista.cli.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.apps.control.AdminEndpoints;
import dev.barista.apps.runtime.AppRuntime;
import dev.barista.apps.runtime.LocalRuntime;
import dev.barista.apps.runtime.ModelDownloads;
import dev.barista.apps.runtime.RuntimeSettings;
import dev.barista.apps.secrets.BaristaDirs;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.yaml.AppFileReader;
import dev.barista.cli.S3ProxyProcess;
import dev.barista.hub.DownloadProgress;
import dev.barista.hub.FakeHub;
import dev.barista.hub.HubClient;
import dev.barista.hub.HubSettings;
import dev.barista.hub.Prefetcher;
import dev.barista.hub.RepoId;
import dev.barista.hub.shard.ShardConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's promise that a prefetched model "can be an app's model_path": the tiny model is
 * prefetched from a hub into a real S3-compatible server (S3Proxy), then a BaristaApp whose
 * model_path is that s3:// prefix runs a real `barista serve` replica that streams the weights and
 * answers. A prefetch sharded for tp=2 is refused at deploy, and a vLLM-style plan gets the model
 * downloaded before its replica starts.
 */
class AppsFromS3EndToEndTest {
  private static final Path TINY_QWEN3 = Path.of("../engine/src/test/resources/models/tiny-qwen3");
  @TempDir static Path tmp;
  static S3ProxyProcess s3;
  static LocalRuntime runtime;

  @BeforeAll
  static void prefetchAndStart() throws Exception {
    s3 = new S3ProxyProcess(tmp.resolve("s3"), "models");
    try (FakeHub hub = new FakeHub("acme/tiny-qwen3"); Stream<Path> files = Files.list(TINY_QWEN3)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().equals("reference.json")).toList()) {
        String n = f.getFileName().toString();
        hub.file(n, Files.readAllBytes(f), n.endsWith(".safetensors"));
      }
      HubSettings settings = HubSettings.fromEnvironment(
          Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", tmp.resolve("hf-prefetch").toString()), tmp);
      Prefetcher prefetcher = new Prefetcher(new HubClient(settings), s3.settings(), DownloadProgress.NONE);
      prefetcher.fromHub(new RepoId("acme/tiny-qwen3"), "main", "s3://models/tiny-qwen3", Optional.empty());
      prefetcher.fromHub(new RepoId("acme/tiny-qwen3"), "main", "s3://models/tiny-qwen3-tp2", Optional.of(new ShardConfig(2)));
    }
    runtime = LocalRuntime.start(new LocalRuntime.Options(BaristaDirs.under(tmp.resolve("state")), "127.0.0.1", 0, null,
        AppsEndToEndTest.baristaCommand(), new RuntimeSettings(100, Duration.ofMillis(100), Duration.ofSeconds(5), 3)),
        rt -> new AdminEndpoints(rt, "admin", () -> {}));
  }

  @AfterAll
  static void stop() throws Exception {
    if (runtime != null) runtime.close();
    if (s3 != null) s3.close();
  }

  /** The replica's environment: where the S3 server is, and its own HF_HOME. */
  private static String envVars(String hfHome) {
    return "env_vars: {" + s3.env().entrySet().stream().map(e -> e.getKey() + ": '" + e.getValue() + "'")
        .collect(Collectors.joining(", ")) + ", HF_HOME: '" + tmp.resolve(hfHome) + "'}\n";
  }

  private static AppDeclaration app(String yaml) {
    return AppFileReader.parse(yaml, tmp, "app.yaml").get(0);
  }

  @Test
  void aBaristaAppServesThePrefetchedModelStreamedFromS3() throws Exception {
    AppRuntime.Deployment d = runtime.deploy(app("kind: BaristaApp\nname: from-s3\nmodel_path: s3://models/tiny-qwen3\n"
        + "model_id: tiny-s3\nstream_model: true\nrequires_auth: false\nrequest_timeout: 90s\n"
        + "scaling: {replicas: [0, 1], scaledown_after: 60s}\n"
        + "extra_args: --kv-cache-memory 67108864 --max-model-len 512\n" + envVars("hf-replica")));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(d.endpoint() + "/v1/completions"))
        .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny-s3\",\"prompt\":[1,2,3],\"max_tokens\":4,"
            + "\"ignore_eos\":true,\"temperature\":0}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body() + " " + runtime.status("from-s3"));
    assertTrue(r.body().contains("\"completion_tokens\":4"), r.body());
    assertTrue(r.body().contains("\"model\":\"tiny-s3\""), r.body());
    // the replica copied the configs and streamed the weights: none were written locally
    Path local = tmp.resolve("hf-replica/barista/stores/s3/models/tiny-qwen3");
    assertTrue(Files.isRegularFile(local.resolve("config.json")), local.toString());
    try (Stream<Path> files = Files.list(local)) {
      assertEquals(List.of(), files.map(Path::getFileName).map(Path::toString).filter(n -> n.contains("safetensors")).toList());
    }
  }

  @Test
  void aPrefetchShardedForAnotherDegreeIsRefusedAtDeploy() {
    var e = assertThrows(AppValidationException.class, () -> runtime.deploy(app("kind: BaristaApp\nname: sharded\n"
        + "model_path: s3://models/tiny-qwen3-tp2\nrequires_auth: false\n" + envVars("hf-sharded"))));
    assertEquals("model_path", e.field());
    assertTrue(e.getMessage().contains("app 'sharded'"), e.getMessage());
    assertTrue(e.getMessage().contains("s3://models/tiny-qwen3-tp2 was sharded for tensor_parallel_size=2 and cannot be loaded"
        + " with tensor_parallel_size=1"), e.getMessage());
  }

  @Test
  void aVllmReplicaGetsTheModelDownloadedIntoALocalFolderFirst() throws Exception {
    LaunchPlan plan = app("kind: VllmApp\nname: v\nmodel_path: s3://models/tiny-qwen3\n" + envVars("hf-vllm"))
        .launchPlan(8000, name -> null);
    assertEquals("s3://models/tiny-qwen3", plan.argv().get(2));
    // as the app's controller asks on each tick: null while downloading, one download for both askers
    List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    LaunchPlan ready = null;
    for (int i = 0; i < 600 && ready == null; i++) {
      ready = ModelDownloads.prepareOrNull(plan, started::add);
      if (ready == null) ready = ModelDownloads.prepareOrNull(plan, started::add); // a second replica asking
      if (ready == null) Thread.sleep(100);
    }
    assertEquals(List.of("downloading s3://models/tiny-qwen3 before starting a replica"), started);
    Path folder = tmp.resolve("hf-vllm/barista/stores/s3/models/tiny-qwen3");
    assertEquals(List.of("vllm", "serve", folder.toString(), "--served-model-name", "tiny-qwen3", "--port", "8000"), ready.argv());
    for (String f : List.of("config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors"))
      assertArrayEquals(Files.readAllBytes(TINY_QWEN3.resolve(f)), Files.readAllBytes(folder.resolve(f)), f);
  }
}
