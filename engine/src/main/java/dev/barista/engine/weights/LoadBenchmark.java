package dev.barista.engine.weights;

import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.LocalBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Model-load throughput: how fast weights reach memory from local disk and from a blob store,
 * streamed versus downloaded then loaded, next to a plain sequential read of the same files.
 */
public final class LoadBenchmark {
  private static final int PAGE = 4096;

  private LoadBenchmark() {}

  /** The .safetensors files of a folder, sorted. */
  public static List<Path> weightFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    }
  }

  /** Seconds to read the files once, front to back, like dd with 8 MB blocks. */
  public static double sequentialRead(List<Path> files) throws IOException {
    long t0 = System.nanoTime();
    ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        while (ch.read(buf.clear()) > 0) {
          // discard
        }
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds to memory-map the files as the engine's local loader does and fault in every page. */
  public static double mmapAndTouch(List<Path> files) {
    long t0 = System.nanoTime();
    long sum = 0;
    for (Path f : files) {
      try (SafetensorsFile st = SafetensorsFile.open(f)) {
        for (String n : st.names()) sum += touch(st.tensor(n).data());
      }
    }
    if (sum == 42) System.out.print(""); // keep the reads
    return (System.nanoTime() - t0) / 1e9;
  }

  private static long touch(MemorySegment s) {
    long sum = 0;
    for (long o = 0; o < s.byteSize(); o += PAGE) sum += s.get(ValueLayout.JAVA_BYTE, o);
    return sum;
  }

  /** Seconds to stream every tensor from the store into native memory. */
  public static double streamed(BlobStore store, int parallelism) {
    long t0 = System.nanoTime();
    try (StreamedSafetensors s = StreamedSafetensors.open(store, parallelism)) {
      if (s.bytes() == 0) throw new IllegalStateException("no weights streamed from " + store.uri());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds to copy the store's files to a local folder (a few at once), then load them mapped. */
  public static double downloadThenLoad(BlobStore store, Path localDir, int parallelism) throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(localDir);
    List<BlobStore.Blob> blobs = store.list();
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism))) {
      List<Future<?>> jobs = new ArrayList<>();
      for (BlobStore.Blob b : blobs) {
        jobs.add(pool.submit(() -> {
          try (InputStream in = store.open(b.key())) {
            Files.copy(in, localDir.resolve(b.key()), StandardCopyOption.REPLACE_EXISTING);
          }
          return null;
        }));
      }
      for (Future<?> j : jobs) j.get();
    }
    mmapAndTouch(weightFiles(localDir));
    return (System.nanoTime() - t0) / 1e9;
  }

  /** A local folder as a store, for the streamed-from-disk case. */
  public static BlobStore local(Path dir) {
    return new LocalBlobStore(dir);
  }
}
