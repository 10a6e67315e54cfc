package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.apps.control.AdminEndpoints;
import dev.barista.apps.runtime.AppRuntime;
import dev.barista.apps.runtime.AppStatus;
import dev.barista.apps.runtime.LocalRuntime;
import dev.barista.apps.runtime.RuntimeSettings;
import dev.barista.apps.secrets.BaristaDirs;
import dev.barista.apps.yaml.AppFileReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime with real replica processes ({@link TestReplica}) behind the real gateway. */
class LocalRuntimeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final RuntimeSettings FAST = new RuntimeSettings(2, Duration.ofMillis(100), Duration.ofSeconds(2), 3);

  @TempDir Path dir;
  private LocalRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) runtime.close();
  }

  private LocalRuntime start() throws Exception {
    // "barista" in BaristaApp commands runs the test replica, which reads the same flags
    List<String> barista = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
        "dev.barista.apps.TestReplica");
    runtime = LocalRuntime.start(new LocalRuntime.Options(BaristaDirs.under(dir), "127.0.0.1", 0, null, barista, FAST),
        rt -> new AdminEndpoints(rt, "admin", () -> {}));
    return runtime;
  }

  private static String app(String name, String extra) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return "name: " + name + "\ncommand: ['" + java + "', '-cp', '" + System.getProperty("java.class.path")
        + "', 'dev.barista.apps.TestReplica', '--port', '{port}'" + extra + "]\n";
  }

  private AppRuntime.Deployment deploy(String yaml) {
    return runtime.deploy(AppFileReader.parse(yaml, dir, "test").get(0));
  }

  private HttpResponse<String> chat(String base, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out waiting: " + what);
      Thread.sleep(50);
    }
  }

  private long ready(String app) {
    return runtime.status(app).ready();
  }

  @Test
  void scalesFromZeroToTwoAndBackToZero() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("echo", "") + "scaling: {replicas: [0, 2], scaledown_after: 2s, metric: {concurrency: 1}}\n");
    assertNotNull(d.apiKey());
    assertEquals(0, runtime.status("echo").replicas().size());

    HttpResponse<String> first = chat(d.endpoint(), d.apiKey(), "{\"model\":\"m\"}");
    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.body().contains("\"path\":\"/v1/chat/completions\""), first.body());
    assertTrue(first.body().contains("\"auth\":\"null\""), "the gateway's key must not reach replicas: " + first.body());

    List<CompletableFuture<HttpResponse<String>>> load = new ArrayList<>();
    for (int i = 0; i < 6; i++)
      load.add(CompletableFuture.supplyAsync(() -> {
        try {
          return chat(d.endpoint(), d.apiKey(), "{\"delay_ms\": 1500}");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    await(() -> ready("echo") == 2, Duration.ofSeconds(20), "two ready replicas under load");
    Set<String> ports = new HashSet<>();
    for (var f : load) {
      HttpResponse<String> r = f.get();
      assertEquals(200, r.statusCode(), r.body());
      ports.add(r.body().replaceAll(".*\"port\":(\\d+).*", "$1"));
    }
    await(() -> runtime.status("echo").replicas().isEmpty(), Duration.ofSeconds(15), "scale to zero after scaledown_after");
  }

  @Test
  void requiresAKeyUnlessRequiresAuthIsFalse() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("secure", "") + "scaling: {replicas: [1, 1]}\n");
    HttpResponse<String> none = chat(d.endpoint(), null, "{}");
    assertEquals(401, none.statusCode());
    assertTrue(none.body().contains("\"code\":\"invalid_api_key\""), none.body());
    assertEquals(401, chat(d.endpoint(), "bk-wrong", "{}").statusCode());
    assertEquals(200, chat(d.endpoint(), d.apiKey(), "{}").statusCode());
    String rotated = runtime.rotateKey("secure");
    assertEquals(401, chat(d.endpoint(), d.apiKey(), "{}").statusCode());
    assertEquals(200, chat(d.endpoint(), rotated, "{}").statusCode());

    AppRuntime.Deployment open = deploy(app("open", "") + "requires_auth: false\nscaling: {replicas: [1, 1]}\n");
    assertNull(open.apiKey());
    assertEquals(200, chat(open.endpoint(), null, "{}").statusCode());
  }

  @Test
  void routesByHostAndByModelField() throws Exception {
    start();
    deploy(app("hosted", "") + "requires_auth: false\nsubdomain: chat\nscaling: {replicas: [1, 1]}\n");
    HttpClient raw = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + runtime.port();
    // Host routing: connect to the gateway but name the app's host, as DNS for *.localhost would
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", runtime.port())) {
      s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: chat.localhost:" + runtime.port()
          + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("\"path\":\"/v1/chat/completions\""), answer);
    }
    deploy("kind: BaristaApp\nname: modeled\nmodel_path: /models/tiny\nmodel_id: tiny\nrequires_auth: false\n");
    HttpResponse<String> byModel = raw.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, byModel.statusCode(), byModel.body());
    assertEquals(Integer.toString(runtime.status("modeled").replicas().get(0).port()), byModel.body().replaceAll(".*\"port\":(\\d+).*", "$1"));
    HttpResponse<String> models = raw.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(models.body().contains("\"id\":\"tiny\""), models.body());
    HttpResponse<String> unknown = raw.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"nobody\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("\"error\""), unknown.body());
  }

  @Test
  void ssePassesThroughUnchanged() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("sse", "") + "requires_auth: false\nscaling: {replicas: [1, 1]}\n");
    await(() -> ready("sse") == 1, Duration.ofSeconds(20), "ready");
    String body = "{\"stream\": true}";
    HttpResponse<byte[]> viaGateway = HTTP.send(HttpRequest.newBuilder(URI.create(d.endpoint() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    int port = runtime.status("sse").replicas().get(0).port();
    HttpResponse<byte[]> direct = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, viaGateway.statusCode());
    assertEquals(new String(direct.body(), "UTF-8"), new String(viaGateway.body(), "UTF-8"));
    assertEquals("text/event-stream", viaGateway.headers().firstValue("content-type").orElse(""));
  }

  @Test
  void fullQueueAnswers503WithRetryAfter() throws Exception {
    start();
    // replicas that never pass their probe keep requests queued (capacity 2 in FAST)
    AppRuntime.Deployment d = deploy(app("slow", ", '--healthy-after-ms', '600000'") + "requires_auth: false\nrequest_timeout: 3s\n"
        + "scaling: {replicas: [0, 1]}\n");
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 2; i++)
      waiting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return chat(d.endpoint(), null, "{}");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    await(() -> runtime.status("slow").queued() == 2, Duration.ofSeconds(5), "two queued");
    HttpResponse<String> rejected = chat(d.endpoint(), null, "{}");
    assertEquals(503, rejected.statusCode());
    assertTrue(rejected.headers().firstValue("retry-after").isPresent());
    for (var f : waiting) {
      HttpResponse<String> r = f.get();
      assertEquals(503, r.statusCode(), "waited past request_timeout");
      assertTrue(r.headers().firstValue("retry-after").isPresent());
    }
  }

  @Test
  void killedReplicaLosesNoRequestAndIsRestarted() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("sturdy", "") + "requires_auth: false\nscaling: {replicas: [2, 2]}\n");
    await(() -> ready("sturdy") == 2, Duration.ofSeconds(20), "two ready");
    List<CompletableFuture<HttpResponse<String>>> load = new ArrayList<>();
    for (int i = 0; i < 8; i++)
      load.add(CompletableFuture.supplyAsync(() -> {
        try {
          return chat(d.endpoint(), null, "{\"delay_ms\": 800}");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    Thread.sleep(300);
    AppStatus.ReplicaInfo victim = runtime.status("sturdy").replicas().get(0);
    ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
    for (var f : load) assertEquals(200, f.get().statusCode(), f.get().body());
    await(() -> ready("sturdy") == 2 && runtime.status("sturdy").replicas().stream().noneMatch(r -> r.id().equals(victim.id())),
        Duration.ofSeconds(20), "a replacement replica");
  }

  @Test
  void restartedControlPlaneFindsItsApps() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("durable", "") + "scaling: {replicas: [0, 1]}\n");
    assertEquals(200, chat(d.endpoint(), d.apiKey(), "{}").statusCode());
    runtime.close();
    start();
    assertEquals(List.of("durable"), runtime.list().stream().map(AppStatus::name).toList());
    assertEquals(1, runtime.status("durable").revision());
    String endpoint = runtime.endpoint("durable", false);
    assertEquals(200, chat(endpoint, d.apiKey(), "{}").statusCode(), "the API key survives a restart");
    AppRuntime.Deployment again = deploy(app("durable", "") + "scaling: {replicas: [0, 2]}\n");
    assertEquals(2, again.revision());
    assertNull(again.apiKey(), "a new revision keeps the key");
    runtime.stop("durable");
    assertEquals(503, chat(endpoint, d.apiKey(), "{}").statusCode());
    runtime.delete("durable");
    assertTrue(runtime.list().isEmpty());
  }

  @Test
  void deployFailsWhenTheEngineIsNotInstalledOrASecretIsMissing() throws Exception {
    start();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .noneMatch(p -> java.nio.file.Files.isExecutable(Path.of(p, "vllm"))), "vLLM is installed here");
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.barista.apps.spec.AppValidationException.class,
        () -> deploy("kind: VllmApp\nname: nollm\nmodel_hf_path: Qwen/Qwen3-0.6B\n"));
    assertTrue(e.getMessage().startsWith("app 'nollm': vLLM is not installed here"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(dev.barista.apps.spec.AppValidationException.class,
        () -> deploy(app("nosecret", "") + "secrets: [hf-token]\n"));
    assertEquals("app 'nosecret': field 'secrets': secret 'hf-token' is not set; set it with: barista secrets set hf-token", e.getMessage());
    assertTrue(runtime.list().isEmpty());
  }

  @Test
  void scaleDownDrainsWithoutCuttingAStream() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("drain", "") + "requires_auth: false\nscaling: {replicas: [0, 1]}\n");
    CompletableFuture<HttpResponse<String>> stream = CompletableFuture.supplyAsync(() -> {
      try {
        return chat(d.endpoint(), null, "{\"stream\": true, \"chunks\": 15}");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    await(() -> runtime.status("drain").inFlight() == 1 && ready("drain") == 1, Duration.ofSeconds(20), "a stream in flight");
    runtime.stop("drain"); // desired 0: the replica drains
    await(() -> runtime.status("drain").replicas().stream().anyMatch(r -> r.state().equals("DRAINING")), Duration.ofSeconds(5), "draining");
    HttpResponse<String> r = stream.get();
    assertEquals(200, r.statusCode());
    assertEquals(16, r.body().split("\n\n").length, r.body());
    assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
    await(() -> runtime.status("drain").replicas().isEmpty(), Duration.ofSeconds(10), "stopped after the stream");
  }

  @Test
  void requestTimeoutAnswers504() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("timed", "") + "requires_auth: false\nrequest_timeout: 1s\nscaling: {replicas: [1, 1]}\n");
    await(() -> ready("timed") == 1, Duration.ofSeconds(20), "ready");
    HttpResponse<String> r = chat(d.endpoint(), null, "{\"delay_ms\": 3000}");
    assertEquals(504, r.statusCode(), r.body());
    assertTrue(r.body().contains("request_timeout"), r.body());
  }

  @Test
  void crashingReplicaIsRestartedWithGrowingBackoff() throws Exception {
    start();
    String java = ProcessHandle.current().info().command().orElse("java");
    deploy("name: crash\ncommand: ['" + java + "', '-version']\nscaling: {replicas: [1, 1]}\n");
    await(() -> runtime.events("crash", 50).stream().filter(e -> e.kind().equals("failure")).count() >= 3, Duration.ofSeconds(30), "3 failures");
    List<String> waits = runtime.events("crash", 50).stream().filter(e -> e.kind().equals("failure"))
        .map(e -> e.message().replaceAll(".*next start in (\\d+) ms.*", "$1")).toList();
    assertEquals(List.of("1000", "2000", "4000"), waits.subList(0, 3));
    assertTrue(runtime.status("crash").lastError().contains("exited with code 0 before it was ready"), runtime.status("crash").lastError());
  }

  @Test
  void newRevisionTakesOverOnlyOnceReady() throws Exception {
    start();
    AppRuntime.Deployment d = deploy(app("rolling", "") + "requires_auth: false\nscaling: {replicas: [1, 1]}\n");
    await(() -> ready("rolling") == 1, Duration.ofSeconds(20), "revision 1 ready");
    String oldPort = Integer.toString(runtime.status("rolling").replicas().get(0).port());
    assertEquals(2, deploy(app("rolling", "") + "requires_auth: false\nenv_vars: {REV: '2'}\nscaling: {replicas: [1, 1]}\n").revision());
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Set<String> ports = new HashSet<>();
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = chat(d.endpoint(), null, "{}");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "a request waited for the new revision's replica");
      String port = r.body().replaceAll(".*\"port\":(\\d+).*", "$1");
      ports.add(port);
      if (!port.equals(oldPort)) break;
      Thread.sleep(50);
    }
    assertTrue(ports.contains(oldPort), "the old revision served during the switch");
    assertEquals(2, ports.size(), "the new revision took over: " + ports);
  }

  @Test
  void javaDeclaredAppRunsItsHooks() throws Exception {
    start();
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    String java = ProcessHandle.current().info().command().orElse("java");
    dev.barista.apps.spec.AppSpec app = dev.barista.apps.spec.AppSpec.builder("hooked")
        .command(java, "-cp", System.getProperty("java.class.path"), "dev.barista.apps.TestReplica", "--port", "{port}")
        .requiresAuth(false).scaling(new dev.barista.apps.spec.Scaling(0, 1, Duration.ofSeconds(1), null))
        .onStartup((name, url) -> calls.add("start " + name + " " + url))
        .onShutdown((name, url) -> calls.add("stop " + name + " " + url))
        .build();
    AppRuntime.Deployment d = runtime.deploy(app);
    assertEquals(200, chat(d.endpoint(), null, "{}").statusCode());
    await(() -> calls.size() == 2, Duration.ofSeconds(20), "startup and shutdown hooks");
    String url = calls.get(0).substring("start hooked ".length());
    assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+"), url);
    assertEquals(List.of("start hooked " + url, "stop hooked " + url), calls);
  }
}
