package dev.barista.engine.api;

/** The outputs of one submitted request, in order; closing it early aborts the request. */
public interface RequestOutputStream extends AutoCloseable {

  /** Blocks for the next output; returns null once the final output was delivered. */
  RequestOutput next() throws InterruptedException;

  @Override
  void close();
}
