package dev.barista.cli;

import dev.barista.hub.ModelResolver;
import dev.barista.server.EngineBackend;
import dev.barista.server.OpenAiServer;
import dev.barista.server.ServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `barista serve MODEL`: the OpenAI-compatible server, a drop-in for `vllm serve`. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve a model over an OpenAI-compatible HTTP API (flags as vllm serve).")
public final class ServeCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Model folder, Hugging Face repo id, s3:// or file:// URI.")
  String modelPositional;

  @Option(names = "--model", description = "Model folder (instead of the positional MODEL).")
  String modelOption;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on.")
  String host;

  @Option(names = "--port", defaultValue = "8000", description = "Port (default 8000).")
  int port;

  @Option(names = "--served-model-name", arity = "1..*",
      description = "Names the model answers to; the first appears in responses.")
  List<String> servedModelNames;

  @Option(names = "--api-key", defaultValue = "${env:BARISTA_API_KEY}",
      description = "Require this Bearer key on /v1 routes (also BARISTA_API_KEY).")
  String apiKey;

  @Option(names = "--chat-template", description = "Chat template file or text.")
  String chatTemplate;

  @Option(names = "--tool-call-parser", description = "hermes or llama3_json.")
  String toolCallParser;

  @Option(names = "--enable-auto-tool-choice", description = "Parse tool calls for tool_choice auto.")
  boolean enableAutoToolChoice;

  @Option(names = "--disable-log-requests", description = "Do not log each request.")
  boolean disableLogRequests;

  @Option(names = "--max-request-body-bytes", defaultValue = "33554432",
      description = "Larger request bodies get 413.")
  long maxRequestBodyBytes;

  @Option(names = "--shutdown-timeout", defaultValue = "30",
      description = "Seconds in-flight requests get to finish on SIGTERM.")
  int shutdownTimeoutSeconds;

  @Mixin ServeEngineFlags engine;

  @Mixin VllmCompatibleFlags vllmCompatible;

  static String model(String positional, String option) {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new IllegalArgumentException("give the model once: positional MODEL or --model");
    }
    String m = positional != null ? positional : option;
    if (m == null) throw new IllegalArgumentException("missing MODEL (a model folder)");
    return m;
  }

  @Override
  public Integer call() throws Exception {
    String model = model(modelPositional, modelOption);
    for (String note : vllmCompatible.check()) System.err.println("barista serve: note: " + note);
    List<String> names = servedModelNames == null || servedModelNames.isEmpty()
        ? List.of(model) : servedModelNames;
    ServerOptions options = new ServerOptions(host, port, names, apiKey, toolCallParser,
        enableAutoToolChoice, disableLogRequests, maxRequestBodyBytes,
        Duration.ofSeconds(shutdownTimeoutSeconds));
    EngineBackend backend = EngineBackend.open(engine.toArgs(model), chatTemplate);
    OpenAiServer server;
    try {
      boolean remote = !java.nio.file.Files.isDirectory(Path.of(model)) && ModelResolver.isRemote(model);
      String root = remote ? model : Path.of(model).toAbsolutePath().toString(); // repo ids as given, like vLLM
      server = new OpenAiServer(backend, options, root);
      server.start();
    } catch (Exception e) {
      backend.close();
      throw e;
    }
    System.err.println("barista serve: " + names.get(0) + " on http://" + host + ":"
        + server.port() + " (max_model_len " + backend.maxModelLen() + ")");
    server.serveUntilSignalled(() -> System.err.println("barista serve: shutting down "
        + "(in-flight requests get up to " + shutdownTimeoutSeconds + " s)"));
    return 0;
  }
}
