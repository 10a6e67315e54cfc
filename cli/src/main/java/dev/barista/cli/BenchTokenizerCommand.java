package dev.barista.cli;

import dev.barista.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `barista bench tokenizer`: encode throughput (MB of UTF-8 input per second) on a large text, split
 * into request-sized documents, on one thread and on all cores; medians of several runs.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
    description = "Encode throughput of a model's tokenizer on a text file, one thread and all cores.")
public final class BenchTokenizerCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Folder with tokenizer.json.")
  Path model;

  @Option(names = "--text", required = true, description = "UTF-8 text file(s), comma-separated.", split = ",")
  List<Path> texts;

  @Option(names = "--mb", defaultValue = "8", description = "Repeat the text up to this many MB (default ${DEFAULT-VALUE}).")
  int megabytes;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs per mode (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--doc-chars", defaultValue = "4000", description = "Documents are cut at paragraph ends near this size.")
  int docChars;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for the parallel mode (0 = all cores).")
  int threads;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    Tokenizer tokenizer = Tokenizer.fromDirectory(model);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    List<String> docs = documents();
    long bytes = docs.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
    int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    System.out.printf("tokenizer %s loaded in %.2f s; text %.1f MB in %d documents; %d cores%n",
        model, loadSeconds, bytes / 1e6, docs.size(), cores);
    long tokens = 0;
    for (String d : docs) tokens += tokenizer.encode(d, false).length;
    System.out.printf("warm-up done: %d tokens (%.2f bytes/token)%n", tokens, (double) bytes / tokens);
    double[] single = new double[runs];
    double[] parallel = new double[runs];
    ForkJoinPool pool = new ForkJoinPool(cores);
    try {
      for (int r = 0; r < runs; r++) {
        single[r] = megabytesPerSecond(bytes, () -> docs.forEach(d -> tokenizer.encode(d, false)));
        parallel[r] = megabytesPerSecond(bytes, () -> pool.submit(() -> docs.parallelStream().forEach(d -> tokenizer.encode(d, false))).join());
        System.out.printf("run %d: 1 thread %.2f MB/s, %d threads %.2f MB/s%n", r + 1, single[r], cores, parallel[r]);
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf("median: 1 thread %.2f MB/s (%.2f M tokens/s), %d threads %.2f MB/s%n",
        median(single), median(single) * 1e6 / ((double) bytes / tokens) / 1e6, cores, median(parallel));
    return 0;
  }

  private List<String> documents() throws Exception {
    StringBuilder all = new StringBuilder();
    for (Path p : texts) all.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
    if (all.isEmpty()) throw new IllegalArgumentException("--text is empty");
    String text = all.toString();
    long target = (long) megabytes * 1_000_000L;
    List<String> docs = new ArrayList<>();
    long size = 0;
    while (size < target) {
      int start = 0;
      while (start < text.length() && size < target) {
        int cut = text.indexOf("\n\n", Math.min(text.length(), start + docChars));
        int end = cut < 0 ? text.length() : cut + 2;
        String doc = text.substring(start, end);
        docs.add(doc);
        size += doc.length();
        start = end;
      }
    }
    return docs;
  }

  private static double megabytesPerSecond(long bytes, Runnable work) {
    long t = System.nanoTime();
    work.run();
    return bytes / 1e6 / ((System.nanoTime() - t) / 1e9);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
