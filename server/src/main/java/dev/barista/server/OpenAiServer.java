package dev.barista.server;

import dev.barista.server.http.ApiKeyCheck;
import dev.barista.server.http.HttpServer;
import dev.barista.server.http.Router;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * The OpenAI-compatible server over one model: routes, auth, metrics. {@link #start()} binds;
 * {@link #shutdown()} stops accepting, lets in-flight requests finish, then closes the model.
 */
public final class OpenAiServer implements AutoCloseable {
  private final ServerOptions options;
  private final ModelBackend backend;
  private final ServingContext context;
  private final HttpServer http;
  private boolean stopped;

  public OpenAiServer(ModelBackend backend, ServerOptions options, String modelRoot) {
    this.options = options;
    this.backend = backend;
    this.context = ServingContext.create(backend, options, modelRoot);
    InfoEndpoints info = new InfoEndpoints(context);
    TokenizeEndpoints tokenize = new TokenizeEndpoints(context);
    Router router = new Router(new ApiKeyCheck(options.apiKey()))
        .add("GET", "/v1/models", info::models)
        .add("POST", "/v1/completions", new CompletionsEndpoint(context))
        .add("POST", "/v1/chat/completions", new ChatCompletionsEndpoint(context))
        .add("POST", "/v1/embeddings", new EmbeddingsEndpoint(context))
        .add("POST", "/score", new ScoreEndpoint(context))
        .add("POST", "/classify", new ClassifyEndpoint(context))
        .add("POST", "/v1/classify", new ClassifyEndpoint(context))
        .add("POST", "/v1/score", new ScoreEndpoint(context))
        .add("GET", "/health", info::health)
        .add("GET", "/ping", info::health)
        .add("GET", "/version", info::version)
        .add("GET", "/load", info::load)
        .add("GET", "/metrics", info::metrics)
        .add("POST", "/tokenize", tokenize::tokenize)
        .add("POST", "/detokenize", tokenize::detokenize);
    this.http = new HttpServer(options.host(), options.port(), router,
        options.maxRequestBodyBytes());
  }

  public OpenAiServer start() throws Exception {
    http.start();
    return this;
  }

  public int port() {
    return http.port();
  }

  public ServingContext context() {
    return context;
  }

  /** Graceful: no new connections, in-flight requests get the shutdown timeout, then stop. */
  public synchronized void shutdown() throws Exception {
    if (stopped) return;
    stopped = true;
    try {
      http.stop(options.shutdownTimeout());
    } finally {
      backend.close();
    }
  }

  /**
   * Blocks until SIGTERM or SIGINT, then shuts down gracefully (the process can then exit 0).
   * {@code onSignal} runs first, e.g. to log.
   */
  public void serveUntilSignalled(Runnable onSignal) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    stop.await();
    onSignal.run();
    shutdown();
  }

  @Override
  public void close() throws Exception {
    shutdown();
  }
}
