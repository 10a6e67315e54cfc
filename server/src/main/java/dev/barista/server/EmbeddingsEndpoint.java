package dev.barista.server;

import dev.barista.engine.api.EmbeddingOutput;
import dev.barista.engine.core.AsyncEngine;
import dev.barista.server.PromptReader.Prompt;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.Json;
import dev.barista.server.api.RequestFields;
import dev.barista.server.api.Usage;
import dev.barista.server.http.Endpoint;
import dev.barista.server.http.Exchange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * POST /v1/embeddings, OpenAI's shape: one embedding per input (a string, strings, token ids or
 * arrays of token ids), the last position's hidden state after the final norm, normalised to unit
 * length (vLLM's default pooling for decoder-only models); encoding_format float or base64
 * (little-endian float32). dimensions other than the model's width are refused, as vLLM refuses
 * them for models without matryoshka training.
 */
public final class EmbeddingsEndpoint implements Endpoint {
  private final ServingContext ctx;

  public EmbeddingsEndpoint(ServingContext ctx) {
    this.ctx = ctx;
  }

  /** One embedding: a float list, or its base64 text. */
  public record Item(String object, int index, Object embedding) {}

  public record Response(String object, List<Item> data, String model, Usage usage) {}

  @Override
  public void handle(Exchange ex) throws Exception {
    RequestFields f = new RequestFields(Json.parseObject(ex.body()));
    String model = ctx.models().resolve(f.string("model"));
    List<Prompt> inputs = PromptReader.read(f.raw("input"), "input", true, ctx.backend());
    String format = f.string("encoding_format");
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw ApiException.invalid("encoding_format", "encoding_format must be \"float\" or \"base64\", got " + format);
    }
    Integer dimensions = f.integer("dimensions");
    List<float[]> vectors = embed(ctx, ServingContext.newId("embd"), inputs, ex);
    List<Item> data = new ArrayList<>(inputs.size());
    for (int i = 0; i < vectors.size(); i++) {
      float[] v = vectors.get(i);
      if (dimensions != null && dimensions != v.length) {
        throw ApiException.invalid("dimensions", "this model gives embeddings of " + v.length
            + " dimensions and cannot shorten them (no matryoshka training); got dimensions " + dimensions);
      }
      data.add(new Item("embedding", i, "base64".equals(format) ? base64(v) : floats(v)));
    }
    ex.sendJson(200, new Response("list", data, model, Usage.of(tokens(inputs), 0)));
  }

  /** Unit-length embeddings of the prompts (see {@link #pool}). */
  static List<float[]> embed(ServingContext ctx, String id, List<Prompt> prompts, Exchange ex)
      throws InterruptedException {
    return pool(ctx, id, prompts, ex).stream().map(EmbeddingOutput::unitLength).toList();
  }

  /** The prompts' pooled states, computed together; {@code ex} aborts them if its client goes. */
  static List<float[]> pool(ServingContext ctx, String id, List<Prompt> prompts, Exchange ex)
      throws InterruptedException {
    List<AsyncEngine.Pooling> runs = new ArrayList<>(prompts.size());
    try {
      for (int i = 0; i < prompts.size(); i++) runs.add(ctx.backend().pool(id + "-" + i, prompts.get(i).ids()));
      ex.onFailure(() -> runs.forEach(r -> r.stream().close()));
      List<float[]> out = new ArrayList<>(prompts.size());
      for (AsyncEngine.Pooling r : runs) out.add(r.await());
      return out;
    } finally {
      for (AsyncEngine.Pooling r : runs) r.stream().close();
    }
  }

  static int tokens(List<Prompt> prompts) {
    return prompts.stream().mapToInt(p -> p.ids().size()).sum();
  }

  private static List<Float> floats(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float x : v) out.add(x);
    return out;
  }

  private static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) b.putFloat(x);
    return Base64.getEncoder().encodeToString(b.array());
  }
}
