package dev.barista.server;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.barista.engine.api.EngineArgs;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real server on a loopback ephemeral port over a real engine, for tests. */
final class TestServer implements AutoCloseable {
  final EngineBackend backend;
  final OpenAiServer server;

  private TestServer(EngineBackend backend, OpenAiServer server) {
    this.backend = backend;
    this.server = server;
  }

  /** The tiny reference model without a tokenizer (token-id prompts), its real weights. */
  static Path tinyTokenIdModel() {
    try {
      return Path.of(TestServer.class.getResource("/models/tiny-qwen2").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** models/tiny-qwen3 of the repository: the real Qwen3 tokenizer and chat template. */
  static Path tinyQwen3() {
    return Path.of("..", "models", "tiny-qwen3").toAbsolutePath().normalize();
  }

  static TestServer start(Path model, String loadFormat, UnaryOperator<ServerOptions> options)
      throws Exception {
    return start(model, loadFormat, "cpu", options);
  }

  /** {@code device} "auto" gets the test-only scripted runner (see ScriptedRunnerProvider). */
  static TestServer start(Path model, String loadFormat, String device,
      UnaryOperator<ServerOptions> options) throws Exception {
    EngineArgs args = EngineArgs.builder(model).loadFormat(loadFormat).maxModelLen(512)
        .kvCacheMemory(48L << 20).maxNumSeqs(256).device(device).build();
    EngineBackend backend = EngineBackend.open(args, null);
    try {
      ServerOptions opts = options.apply(ServerOptions.local("tiny"));
      OpenAiServer server = new OpenAiServer(backend, opts, model.toString()).start();
      return new TestServer(backend, server);
    } catch (Exception e) {
      backend.close();
      throw e;
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  OpenAIClient client(String apiKey) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(apiKey)
        .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
  }

  @Override
  public void close() throws Exception {
    server.shutdown();
  }
}
