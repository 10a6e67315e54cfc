package dev.barista.apps.bench;

import dev.barista.apps.control.AdminEndpoints;
import dev.barista.apps.runtime.AppRuntime;
import dev.barista.apps.runtime.LocalRuntime;
import dev.barista.apps.runtime.RuntimeSettings;
import dev.barista.apps.secrets.BaristaDirs;
import dev.barista.apps.yaml.AppFileReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the apps gateway with real {@code barista serve} replicas: the latency it adds to a cheap
 * request (GET /v1/models, direct to the replica vs through the gateway, interleaved), requests per
 * second at a given concurrency for both paths, and the time from a first request to its first
 * streamed token when the app has zero replicas (next to the replica's own cold start).
 */
public final class GatewayBenchmark {
  /** What to run. */
  public record Config(Path model, List<String> baristaCommand, int requests, int concurrency, int coldStarts) {}

  /** Milliseconds unless named otherwise. */
  public record Result(double directP50, double directP99, double gatewayP50, double gatewayP99, double directRps, double gatewayRps,
      double coldFirstTokenMedian, double replicaStartMedian, List<Double> coldFirstTokens) {}

  private final Config config;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public GatewayBenchmark(Config config) {
    this.config = config;
  }

  public Result run() throws Exception {
    Path dir = Files.createTempDirectory("barista-bench-gateway");
    try (LocalRuntime rt = LocalRuntime.start(new LocalRuntime.Options(BaristaDirs.under(dir), "127.0.0.1", 0, null, config.baristaCommand(),
        RuntimeSettings.DEFAULT), r -> new AdminEndpoints(r, "bench", () -> {}))) {
      Thread cleanup = new Thread(rt::close); // Ctrl-C must not leave replica processes behind
      Runtime.getRuntime().addShutdownHook(cleanup);
      AppRuntime.Deployment warm = rt.deploy(AppFileReader.parse(app("warm", "[1, 1]", "600s"), null, "bench").get(0));
      waitReady(rt, "warm");
      String direct = "http://127.0.0.1:" + rt.status("warm").replicas().get(0).port() + "/v1/models";
      String viaGateway = warm.endpoint() + "/v1/models";
      String key = "Bearer " + warm.apiKey();
      for (int i = 0; i < 200; i++) { // warm both paths (JIT, connections)
        get(direct, null);
        get(viaGateway, key);
      }
      double[] d = new double[config.requests()], g = new double[config.requests()];
      for (int i = 0; i < config.requests(); i++) {
        d[i] = get(direct, null);
        g[i] = get(viaGateway, key);
      }
      Percentiles pd = new Percentiles(d), pg = new Percentiles(g);
      double directRps = throughput(direct, null), gatewayRps = throughput(viaGateway, key);

      AppRuntime.Deployment cold = rt.deploy(AppFileReader.parse(app("cold", "[0, 1]", "1s"), null, "bench").get(0));
      List<Double> firstTokens = new ArrayList<>(), starts = new ArrayList<>();
      for (int i = 0; i < config.coldStarts(); i++) {
        while (!rt.status("cold").replicas().isEmpty()) Thread.sleep(100);
        firstTokens.add(firstToken(cold.endpoint() + "/v1/completions", "Bearer " + cold.apiKey()));
        starts.add(lastReadyMillis(rt));
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
      return new Result(pd.at(50), pd.at(99), pg.at(50), pg.at(99), directRps, gatewayRps,
          median(firstTokens), median(starts), firstTokens);
    } finally {
      deleteTree(dir);
    }
  }

  private String app(String name, String replicas, String scaledown) {
    return "kind: BaristaApp\nname: " + name + "\nmodel_path: " + config.model().toAbsolutePath() + "\nmodel_id: " + name + "\n"
        + "extra_args: --load-format dummy --kv-cache-memory 67108864 --max-model-len 512 --disable-log-requests\n"
        + "scaling: {replicas: " + replicas + ", scaledown_after: " + scaledown + "}\n";
  }

  private static void waitReady(LocalRuntime rt, String app) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (rt.status(app).ready() < 1) {
      if (System.nanoTime() > end) throw new IllegalStateException("replica of " + app + " not ready: " + rt.status(app));
      Thread.sleep(100);
    }
  }

  /** The replica's own start: from process start to passing its probe, as the control plane logged it. */
  private static double lastReadyMillis(LocalRuntime rt) {
    return rt.events("cold", 20).stream().map(e -> e.message())
        .filter(m -> m.matches(".* ready after \\d+ ms")).reduce((a, b) -> b)
        .map(m -> Double.parseDouble(m.replaceAll(".* ready after (\\d+) ms", "$1"))).orElse(Double.NaN);
  }

  private double get(String url, String auth) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (auth != null) b.header("Authorization", auth);
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
    return (System.nanoTime() - t0) / 1e6;
  }

  private double throughput(String url, String auth) throws Exception {
    AtomicInteger left = new AtomicInteger(config.requests() * 2);
    try (ExecutorService pool = Executors.newFixedThreadPool(config.concurrency())) {
      long t0 = System.nanoTime();
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < config.concurrency(); w++)
        done.add(pool.submit(() -> {
          int n = 0;
          while (left.getAndDecrement() > 0) {
            get(url, auth);
            n++;
          }
          return n;
        }));
      int total = 0;
      for (Future<Integer> f : done) total += f.get();
      return total / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** Milliseconds from sending a streaming completion to the first SSE data line. */
  private double firstToken(String url, String auth) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"cold\",\"prompt\":[1,2,3],\"max_tokens\":8,\"stream\":true}")).build();
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200)
      throw new IllegalStateException("cold request answered " + r.statusCode() + ": " + new String(r.body().readAllBytes()));
    try (InputStream in = r.body()) {
      byte[] prefix = new byte[6];
      int n = in.readNBytes(prefix, 0, 6);
      double ms = (System.nanoTime() - t0) / 1e6;
      if (n < 6 || !new String(prefix).equals("data: ")) throw new IllegalStateException("not an SSE stream");
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return ms;
    }
  }

  private static double median(List<Double> xs) {
    return new Percentiles(xs.stream().mapToDouble(Double::doubleValue).toArray()).at(50);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
