package dev.barista.cli;

import dev.barista.apps.bench.GatewayBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `barista bench gateway`: what the apps gateway costs, and how long a first request waits on a cold app. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Apps gateway: added latency (p50/p99) and requests/s against a real barista serve replica, "
        + "and time to first token when scaling from zero.")
public final class BenchGatewayCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "models/tiny-qwen3", description = "Model folder, dummy weights (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--requests", defaultValue = "2000", description = "Requests per latency sample (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--concurrency", defaultValue = "8", description = "Clients for requests/s (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--cold-starts", defaultValue = "3", description = "Scale-from-zero runs (default: ${DEFAULT-VALUE}).")
  int coldStarts;

  @Override
  public Integer call() throws Exception {
    if (requests < 1 || concurrency < 1 || coldStarts < 1) throw new IllegalArgumentException("--requests, --concurrency and --cold-starts must be at least 1");
    Path dir = model;
    String home = System.getProperty("barista.home");
    if (!Files.isDirectory(dir) && home != null) dir = Path.of(home).resolve(model);
    if (!Files.isRegularFile(dir.resolve("config.json"))) throw new IllegalArgumentException("--model " + model + ": no config.json there");
    GatewayBenchmark.Result r = new GatewayBenchmark(new GatewayBenchmark.Config(dir, SelfCommand.words(), requests, concurrency, coldStarts)).run();
    System.out.printf(Locale.ROOT, "GET /v1/models, %d sequential requests each path (interleaved):%n", requests);
    System.out.printf(Locale.ROOT, "  direct to replica: p50 %.3f ms, p99 %.3f ms%n", r.directP50(), r.directP99());
    System.out.printf(Locale.ROOT, "  through gateway:   p50 %.3f ms, p99 %.3f ms%n", r.gatewayP50(), r.gatewayP99());
    System.out.printf(Locale.ROOT, "  added by gateway:  p50 %.3f ms, p99 %.3f ms%n", r.gatewayP50() - r.directP50(), r.gatewayP99() - r.directP99());
    System.out.printf(Locale.ROOT, "requests/s with %d clients: direct %.0f, gateway %.0f (%.0f%%)%n", concurrency, r.directRps(), r.gatewayRps(),
        100 * r.gatewayRps() / r.directRps());
    System.out.printf(Locale.ROOT, "scale from zero, first streamed token: median %.0f ms over %d runs %s; replica start (process to probe ok) median %.0f ms%n",
        r.coldFirstTokenMedian(), coldStarts, r.coldFirstTokens(), r.replicaStartMedian());
    return 0;
  }
}
