package dev.barista.server.bench;

/** Where the benchmark sends its load: the HTTP server, or the engine in-process. */
public interface BenchTarget extends AutoCloseable {

  /** Runs one request to its end (streaming) and times it; never throws for a failed request. */
  RequestTiming run(BenchRequest request);

  @Override
  default void close() {}
}
