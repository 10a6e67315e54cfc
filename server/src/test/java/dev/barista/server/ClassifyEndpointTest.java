package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /classify on a Qwen2ForSequenceClassification folder made from the tiny Qwen2 model (its
 * score head: the first two embedding rows): the probabilities LLM.classify gives, and the
 * id2label name of the likelier class. /classify on a causal model is a 400.
 */
class ClassifyEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The tiny model's folder as a two-class classifier named "no" and "yes". */
  private static Path classifier(Path dir) throws Exception {
    Path src = TestServer.tinyTokenIdModel();
    for (String f : List.of("config.json", "generation_config.json")) Files.copy(src.resolve(f), dir.resolve(f));
    ObjectNode config = (ObjectNode) JSON.readTree(src.resolve("config.json").toFile());
    config.putArray("architectures").add("Qwen2ForSequenceClassification");
    config.putObject("id2label").put("0", "no").put("1", "yes");
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
    byte[] raw = Files.readAllBytes(src.resolve("model.safetensors"));
    int n = (int) ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) JSON.readTree(new String(raw, 8, n, StandardCharsets.UTF_8));
    JsonNode embed = header.get("model.embed_tokens.weight");
    long start = embed.get("data_offsets").get(0).asLong();
    int rowBytes = 2 * embed.get("shape").get(1).asInt(); // BF16
    byte[] data = Arrays.copyOfRange(raw, 8 + n, raw.length);
    long end = data.length;
    ObjectNode score = header.putObject("score.weight");
    score.put("dtype", "BF16");
    score.putArray("shape").add(2).add(embed.get("shape").get(1).asInt());
    score.putArray("data_offsets").add(end).add(end + 2L * rowBytes);
    byte[] json = JSON.writeValueAsBytes(header);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
    out.write(json);
    out.write(data);
    out.write(data, (int) start, 2 * rowBytes);
    Files.write(dir.resolve("model.safetensors"), out.toByteArray());
    return dir;
  }

  private static HttpResponse<String> post(TestServer server, String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probabilitiesAndLabelsAsTheEngineGivesThem(@TempDir Path tmp) throws Exception {
    Path dir = classifier(tmp);
    List<Double> want;
    try (LLM llm = new LLM(EngineArgs.builder(dir).device("cpu").maxModelLen(64).kvCacheMemory(8L << 20).build())) {
      want = llm.classify(List.of(PromptInput.tokens(List.of(5, 17, 42)))).getFirst().outputs().probs();
    }
    try (TestServer server = TestServer.start(dir, "auto", o -> o.withServedModelNames(List.of("cls")))) {
      HttpResponse<String> r = post(server, "/classify", "{\"model\": \"cls\", \"input\": [[5, 17, 42]]}");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode item = JSON.readTree(r.body()).get("data").get(0);
      assertEquals(2, item.get("num_classes").asInt());
      for (int k = 0; k < 2; k++) assertEquals(want.get(k), item.get("probs").get(k).asDouble(), 1e-9);
      assertEquals(want.get(1) > want.get(0) ? "yes" : "no", item.get("label").asText());
      // a classifier does not complete text
      HttpResponse<String> gen = post(server, "/v1/completions", "{\"model\": \"cls\", \"prompt\": [5, 17], \"max_tokens\": 2}");
      assertEquals(400, gen.statusCode(), gen.body());
    }
    try (TestServer causal = TestServer.start(TestServer.tinyTokenIdModel(), "auto", o -> o.withServedModelNames(List.of("tiny")))) {
      HttpResponse<String> r = post(causal, "/classify", "{\"model\": \"tiny\", \"input\": [[5, 17]]}");
      assertEquals(400, r.statusCode());
      assertTrue(JSON.readTree(r.body()).get("error").get("message").asText().contains("sequence classifier"), r.body());
    }
  }
}
