package dev.barista.server;

import dev.barista.engine.api.ClassificationOutput;
import dev.barista.server.PromptReader.Prompt;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.Json;
import dev.barista.server.api.RequestFields;
import dev.barista.server.api.Usage;
import dev.barista.server.http.Endpoint;
import dev.barista.server.http.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /classify (and /v1/classify), vLLM's classification API for sequence classifiers: for each
 * input, the class probabilities of the model's score head over its last position, and the most
 * likely class's label (config.json's id2label, else LABEL_i).
 */
public final class ClassifyEndpoint implements Endpoint {
  private final ServingContext ctx;

  public ClassifyEndpoint(ServingContext ctx) {
    this.ctx = ctx;
  }

  public record Item(int index, String label, List<Double> probs, int numClasses) {}

  public record Response(String id, String object, long created, String model, List<Item> data, Usage usage) {}

  @Override
  public void handle(Exchange ex) throws Exception {
    RequestFields f = new RequestFields(Json.parseObject(ex.body()));
    String model = ctx.models().resolve(f.string("model"));
    var head = ctx.backend().classifierHead();
    if (head == null) {
      throw ApiException.invalid("model", "this model is not a sequence classifier (an *ForSequenceClassification"
          + " checkpoint with a score head)");
    }
    List<Prompt> inputs = PromptReader.read(f.raw("input"), "input", true, ctx.backend());
    String id = ServingContext.newId("classify");
    List<float[]> pooled = EmbeddingsEndpoint.pool(ctx, id, inputs, ex);
    List<String> labels = ctx.backend().classLabels();
    List<Item> data = new ArrayList<>(inputs.size());
    for (int i = 0; i < pooled.size(); i++) {
      ClassificationOutput c = ClassificationOutput.of(head, pooled.get(i));
      data.add(new Item(i, labels.get(c.predicted()), c.probs(), c.numClasses()));
    }
    ex.sendJson(200, new Response(id, "list", System.currentTimeMillis() / 1000, model, data,
        Usage.of(EmbeddingsEndpoint.tokens(inputs), 0)));
  }
}
