package dev.barista.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.barista.server.EngineBackend;
import dev.barista.server.bench.BenchReport;
import dev.barista.server.bench.BenchRequest;
import dev.barista.server.bench.BenchTarget;
import dev.barista.server.bench.EngineTarget;
import dev.barista.server.bench.HttpCompletionsTarget;
import dev.barista.server.bench.RandomDataset;
import dev.barista.server.bench.ServeBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `barista bench serve`: load a running server like `vllm bench serve` (random dataset, Poisson
 * arrivals, a concurrency cap); --in-process sends the same load to an engine in this JVM instead,
 * the baseline that shows the server's own overhead.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Benchmark an OpenAI-compatible server (or, with --in-process, the bare engine).")
public final class BenchServeCommand implements Callable<Integer> {

  @Option(names = "--base-url", description = "Server URL (default http://HOST:PORT).")
  String baseUrl;

  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", defaultValue = "8000")
  int port;

  @Option(names = "--endpoint", defaultValue = "/v1/completions")
  String endpoint;

  @Option(names = "--model", description = "Served model name; with --in-process the model folder.")
  String model;

  @Option(names = "--api-key", defaultValue = "${env:BARISTA_API_KEY}")
  String apiKey;

  @Option(names = "--dataset-name", defaultValue = "random", description = "Only random.")
  String datasetName;

  @Option(names = "--random-input-len", defaultValue = "1024")
  int inputLen;

  @Option(names = "--random-output-len", defaultValue = "128")
  int outputLen;

  @Option(names = "--random-range-ratio", defaultValue = "0.0")
  double rangeRatio;

  @Option(names = "--random-vocab-size", defaultValue = "256",
      description = "Prompt token ids are drawn from [0, N).")
  int vocabSize;

  @Option(names = "--num-prompts", defaultValue = "1000")
  int numPrompts;

  @Option(names = "--request-rate", defaultValue = "inf",
      description = "Requests/s with Poisson arrivals (inf: all at once).")
  String requestRateText;

  @Option(names = "--burstiness", defaultValue = "1.0", description = "Gamma shape; 1 is Poisson.")
  double burstiness;

  @Option(names = "--max-concurrency", defaultValue = "0", description = "0 = unlimited.")
  int maxConcurrency;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the dataset and arrivals.")
  long seed;

  @Option(names = "--in-process", description = "Run the engine here and skip HTTP.")
  boolean inProcess;

  @Option(names = "--repeat", defaultValue = "1",
      description = "Run the whole load this many times (earlier runs warm the JIT); the last "
          + "run's metrics go to --result-file.")
  int repeat;

  @Option(names = "--result-file", description = "Write the metrics as JSON here.")
  Path resultFile;

  @Mixin EngineOptions engine;

  static double rate(String text) {
    if (text.equalsIgnoreCase("inf")) return Double.POSITIVE_INFINITY;
    try {
      double r = Double.parseDouble(text);
      if (r > 0) return r;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--request-rate must be a positive number or inf, got "
        + text);
  }

  @Override
  public Integer call() throws Exception {
    if (!datasetName.equals("random")) {
      throw new IllegalArgumentException("--dataset-name " + datasetName
          + " is not supported; use random");
    }
    double requestRate = rate(requestRateText);
    List<BenchRequest> requests = RandomDataset.generate(numPrompts, inputLen, outputLen,
        rangeRatio, vocabSize, seed);
    EngineBackend backend = null;
    BenchTarget target;
    if (inProcess) {
      if (model == null) throw new IllegalArgumentException("--in-process needs --model FOLDER");
      backend = EngineBackend.open(engine.toArgs(java.nio.file.Path.of(model), 256), null);
      target = new EngineTarget(backend.engine());
    } else {
      String url = baseUrl != null ? baseUrl : "http://" + host + ":" + port;
      target = new HttpCompletionsTarget(url, endpoint, model, apiKey);
    }
    try (BenchTarget t = target) {
      BenchReport report = null;
      for (int run = 1; run <= Math.max(1, repeat); run++) {
        report = ServeBenchmark.run(t, requests, requestRate, burstiness, maxConcurrency, seed);
        if (repeat > 1) System.out.println("run " + run + " of " + repeat);
        System.out.print(report.format());
      }
      if (resultFile != null) {
        Map<String, Object> m = report.toMap();
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(resultFile.toFile(), m);
      }
      return report.completed() == 0 ? 1 : 0;
    } finally {
      if (backend != null) backend.close();
    }
  }
}
