package dev.barista.cli;

import dev.barista.engine.weights.LoadBenchmark;
import dev.barista.hub.safetensors.DummyCheckpointWriter;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import dev.barista.hub.store.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `barista bench load`: weight-load throughput from local disk and blob stores. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Model-load throughput (GB/s of safetensors data): a sequential read of the files (the disk's",
      "speed), the engine's local mmap load, streaming from the folder, and for each --store:",
      "streaming into memory versus download-then-load. Medians of --runs."
    })
public final class BenchLoadCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Folder of safetensors (created with --generate-gb).")
  Path model;

  @Option(names = "--generate-gb", description = "Write a dummy BF16 checkpoint of about this many GB first if the folder has none.")
  Double generateGb;

  @Option(names = "--store", description = "Store URI to compare (s3://bucket/prefix, file://...); the model is uploaded if absent.")
  List<String> stores = new ArrayList<>();

  @Option(names = "--runs", defaultValue = "3", description = "Measured runs (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--parallelism", defaultValue = "16", description = "Concurrent range reads (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--drop-cache", description = "Evict the files from the page cache before each cold read (dd iflag=nocache).")
  boolean dropCache;

  @Option(names = "--drop-cache-dir", description = "Also evict files under these folders (e.g. the S3 server's data).")
  List<Path> dropDirs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
    if (LoadBenchmark.weightFiles(existingOrNew(model)).isEmpty()) {
      if (generateGb == null) throw new IllegalArgumentException(model + ": no .safetensors (use --generate-gb)");
      long bytes = DummyCheckpointWriter.write(model, (long) (generateGb * 1e9), 2, 0);
      System.out.printf(Locale.ROOT, "wrote a dummy checkpoint of %.2f GB to %s%n", bytes / 1e9, model);
    }
    List<Path> files = LoadBenchmark.weightFiles(model);
    long bytes = 0;
    for (Path f : files) bytes += Files.size(f);
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    List<BlobStore> opened = new ArrayList<>();
    try {
      for (String uri : stores) opened.add(uploadIfAbsent(BlobStores.open(uri, S3Settings.fromEnvironment(), parallelism)));
      for (int r = 0; r < runs; r++) {
        evict(files);
        add(seconds, "disk sequential read (8 MB blocks)", LoadBenchmark.sequentialRead(files));
        evict(files);
        add(seconds, "local: mmap + fault in (engine's local load)", LoadBenchmark.mmapAndTouch(files));
        evict(files);
        try (BlobStore local = LoadBenchmark.local(model)) {
          add(seconds, "local: streamed, parallel reads", LoadBenchmark.streamed(local, parallelism));
        }
        for (BlobStore s : opened) {
          evict(files);
          add(seconds, s.uri() + ": streamed", LoadBenchmark.streamed(s, parallelism));
          Path tmp = Files.createTempDirectory("barista-bench-load-");
          try {
            evict(files);
            add(seconds, s.uri() + ": download then load", LoadBenchmark.downloadThenLoad(s, tmp, 4));
          } finally {
            deleteTree(tmp);
          }
        }
      }
    } finally {
      opened.forEach(BlobStore::close);
    }
    System.out.printf(Locale.ROOT, "%d files, %.3f GB; %s page cache; medians of %d runs%n", files.size(), bytes / 1e9,
        dropCache ? "cold (evicted)" : "warm", runs);
    for (var e : seconds.entrySet()) {
      double med = median(e.getValue());
      System.out.printf(Locale.ROOT, "%-55s %6.2f GB/s  (%.2f s; runs %s)%n", e.getKey(), bytes / 1e9 / med, med,
          e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
    return 0;
  }

  private static Path existingOrNew(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  private BlobStore uploadIfAbsent(BlobStore store) throws IOException {
    try (Stream<Path> s = Files.list(model)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        String key = f.getFileName().toString();
        if (!store.exists(key) || store.size(key) != Files.size(f)) store.put(key, f);
      }
    }
    return store;
  }

  private void evict(List<Path> files) throws IOException, InterruptedException {
    if (!dropCache) return;
    List<Path> all = new ArrayList<>(files);
    for (Path d : dropDirs) {
      try (Stream<Path> w = Files.walk(d)) {
        all.addAll(w.filter(Files::isRegularFile).toList());
      }
    }
    for (Path f : all) {
      Process p = new ProcessBuilder("dd", "if=" + f, "iflag=nocache", "count=0", "status=none")
          .redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (p.waitFor() != 0) throw new IOException("dd could not evict " + f + " from the page cache");
    }
  }

  private static void add(Map<String, List<Double>> m, String key, double v) {
    m.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> w = Files.walk(dir)) {
      for (Path p : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
