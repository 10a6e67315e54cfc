package dev.barista.server;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP side of `barista serve` (vLLM's names): where to listen, the served names, the API key,
 * tool-call parsing, request logging, body limit and the graceful-shutdown period.
 */
public record ServerOptions(String host, int port, List<String> servedModelNames, String apiKey,
    String toolCallParser, boolean enableAutoToolChoice, boolean disableLogRequests,
    long maxRequestBodyBytes, Duration shutdownTimeout) {

  public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;

  public ServerOptions {
    servedModelNames = List.copyOf(servedModelNames);
  }

  /** Loopback on an ephemeral port with defaults: for tests and in-process use. */
  public static ServerOptions local(String modelName) {
    return new ServerOptions("127.0.0.1", 0, List.of(modelName), null, null, false, true,
        DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(30));
  }

  public ServerOptions withApiKey(String key) {
    return new ServerOptions(host, port, servedModelNames, key, toolCallParser,
        enableAutoToolChoice, disableLogRequests, maxRequestBodyBytes, shutdownTimeout);
  }

  public ServerOptions withToolCallParser(String parser, boolean autoToolChoice) {
    return new ServerOptions(host, port, servedModelNames, apiKey, parser, autoToolChoice,
        disableLogRequests, maxRequestBodyBytes, shutdownTimeout);
  }

  public ServerOptions withServedModelNames(List<String> names) {
    return new ServerOptions(host, port, names, apiKey, toolCallParser, enableAutoToolChoice,
        disableLogRequests, maxRequestBodyBytes, shutdownTimeout);
  }

  public ServerOptions withMaxRequestBodyBytes(long bytes) {
    return new ServerOptions(host, port, servedModelNames, apiKey, toolCallParser,
        enableAutoToolChoice, disableLogRequests, bytes, shutdownTimeout);
  }
}
