package dev.barista.engine.api;

/**
 * The asynchronous engine (vLLM's AsyncLLM): many threads submit requests at once; the engine loop
 * runs on its own thread and streams each request's outputs back.
 */
public interface AsyncLLM extends AutoCloseable {

  /**
   * Submits a request. Outputs arrive on the returned stream as {@code params.outputKind()} says;
   * closing the stream before it finishes aborts the request.
   *
   * @throws InvalidParameterException for a bad parameter or a prompt longer than the context
   */
  RequestOutputStream generate(String requestId, PromptInput prompt, SamplingParams params,
      int priority);

  /** Aborts a request; its KV blocks are freed at once. Unknown ids are ignored. */
  void abort(String requestId);

  /** A snapshot of the engine's metrics (vLLM's names), for the server's /metrics. */
  default EngineStats stats() {
    return EngineStats.empty();
  }

  /** Longest prompt plus output the engine accepts. */
  int maxModelLen();

  @Override
  void close();
}
