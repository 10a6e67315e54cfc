package dev.barista.server;

import dev.barista.engine.api.EmbeddingOutput;
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
 * POST /score (and /v1/score), vLLM's scoring API for embedding models: text_1 (one, or one per
 * text_2) against each text_2, scored by the cosine similarity of their unit-length last-token
 * embeddings (see {@link EmbeddingsEndpoint}).
 */
public final class ScoreEndpoint implements Endpoint {
  private final ServingContext ctx;

  public ScoreEndpoint(ServingContext ctx) {
    this.ctx = ctx;
  }

  public record Item(int index, String object, double score) {}

  public record Response(String id, String object, long created, String model, List<Item> data, Usage usage) {}

  @Override
  public void handle(Exchange ex) throws Exception {
    RequestFields f = new RequestFields(Json.parseObject(ex.body()));
    String model = ctx.models().resolve(f.string("model"));
    List<Prompt> first = PromptReader.read(f.raw("text_1"), "text_1", true, ctx.backend());
    List<Prompt> second = PromptReader.read(f.raw("text_2"), "text_2", true, ctx.backend());
    if (first.size() != 1 && first.size() != second.size()) {
      throw ApiException.invalid("text_1", "got " + first.size() + " text_1 for " + second.size()
          + " text_2; give one, or as many");
    }
    List<Prompt> all = new ArrayList<>(first);
    all.addAll(second);
    String id = ServingContext.newId("score");
    List<float[]> e = EmbeddingsEndpoint.embed(ctx, id, all, ex);
    List<Item> data = new ArrayList<>(second.size());
    for (int i = 0; i < second.size(); i++) {
      data.add(new Item(i, "score", EmbeddingOutput.cosine(e.get(first.size() == 1 ? 0 : i), e.get(first.size() + i))));
    }
    ex.sendJson(200, new Response(id, "list", System.currentTimeMillis() / 1000, model, data,
        Usage.of(EmbeddingsEndpoint.tokens(all), 0)));
  }
}
