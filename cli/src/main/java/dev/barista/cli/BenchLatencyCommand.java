package dev.barista.cli;

import dev.barista.engine.cpu.DecodeLatencyBenchmark;
import dev.barista.engine.model.LoadFormat;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.weights.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `barista bench latency`: batch-1 decode tokens/s on the CPU next to its roofline. */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = "Decode tokens/s of one sequence on the CPU, model load time, and the roofline "
        + "(weight bytes per token / DRAM read bandwidth measured in the same run).")
public final class BenchLatencyCommand implements Callable<Integer> {

  @Option(names = "--model", description = "Model folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "benchmarks/configs/qwen3-0.6b")
  Path model;

  @Option(names = "--load-format", description = "auto or dummy (default: ${DEFAULT-VALUE}).",
      defaultValue = "dummy")
  String loadFormat;

  @Option(names = "--dtype", description = "Dummy weight dtype: bfloat16, float16, float32 "
      + "(default: config's torch_dtype).")
  String dtype;

  @Option(names = "--batch", defaultValue = "1",
      description = "Sequences decoded together in each step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--input-len", defaultValue = "32", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
  int inputLen;

  @Option(names = "--output-len", defaultValue = "64", description = "Decoded tokens per run (default: ${DEFAULT-VALUE}).")
  int outputLen;

  @Option(names = "--iters", defaultValue = "5", description = "Measured runs after one warm-up (default: ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--bandwidth-buffer-mb", defaultValue = "512",
      description = "Buffer the bandwidth is measured over; keep it far above the last-level cache "
          + "(default: ${DEFAULT-VALUE}).")
  int bandwidthBufferMb;

  @Option(names = "--seed", defaultValue = "0", description = "Dummy weight seed.")
  long seed;

  @Override
  public Integer call() {
    if (batch < 1 || inputLen < 1 || outputLen < 1 || iters < 1 || bandwidthBufferMb < 1) {
      throw new IllegalArgumentException(
          "--batch, --input-len, --output-len, --iters and --bandwidth-buffer-mb must be at least 1");
    }
    Path dir = resolve(model);
    LoadOptions opts = new LoadOptions(LoadFormat.parse(loadFormat),
        dtype == null ? null : DType.fromTorchName(dtype, "--dtype"), seed);
    DecodeLatencyBenchmark.Result r = DecodeLatencyBenchmark.run(dir, opts, batch, inputLen, outputLen, iters,
        (long) bandwidthBufferMb << 20);
    System.out.printf(Locale.ROOT, "model: %s (%s weights), threads: %d%n", dir, loadFormat, r.threads());
    System.out.printf(Locale.ROOT, "load time: %.2f s%n", r.loadSeconds());
    System.out.printf(Locale.ROOT, "prefill %d x %d tokens: %.1f ms (median)%n", batch, inputLen,
        r.prefillSeconds() * 1e3);
    System.out.printf(Locale.ROOT, "decode batch %d: %.2f tokens/s (median of %d runs of %d steps; runs: %s)%n",
        batch, r.decodeTokensPerSecond(), iters, outputLen, Arrays.toString(
            Arrays.stream(r.decodeTokensPerSecondRuns()).map(x -> Math.round(x * 100) / 100.0).toArray()));
    System.out.printf(Locale.ROOT, "CPU used while decoding: %.2f of %d cores (others share this machine)%n",
        r.decodeCpuShare(), r.threads());
    System.out.printf(Locale.ROOT,
        "weights read per token: %.1f MB; DRAM read bandwidth: best %.1f GB/s, median %.1f GB/s over %d measurements%n",
        r.weightBytesPerToken() / 1e6, r.bandwidthBytesPerSecond() / 1e9,
        r.medianBandwidthBytesPerSecond() / 1e9, iters + 1);
    // Per core-second of CPU actually received, weight streaming vs the bare read loop: a ratio that
    // other processes' load does not distort.
    double decodePerCore = r.decodeTokensPerSecond() * r.weightBytesPerToken() / batch
        / r.decodeCpuShare();
    System.out.printf(Locale.ROOT, "per core-second of CPU received: decode streams %.1f GB of weights, "
        + "the bandwidth loop reads %.1f GB (%.0f%%)%n", decodePerCore / 1e9, r.bandwidthPerCoreSecond() / 1e9,
        100 * decodePerCore / r.bandwidthPerCoreSecond());
    System.out.printf(Locale.ROOT, "roofline (batch 1): %.2f tokens/s; achieved %.0f%% of roofline%s%n",
        r.rooflineTokensPerSecond(), 100 * r.decodeTokensPerSecond() / r.rooflineTokensPerSecond(),
        batch > 1 ? " (a batch reads the weights once for all its sequences)" : "");
    return 0;
  }

  /** Relative paths that do not exist here are looked up under the Barista home (bin/..). */
  static Path resolve(Path p) {
    String home = System.getProperty("barista.home");
    if (!p.isAbsolute() && !Files.exists(p) && home != null) return Path.of(home).resolve(p);
    return p;
  }
}
