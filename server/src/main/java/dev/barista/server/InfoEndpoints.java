package dev.barista.server;

import dev.barista.server.http.Exchange;
import dev.barista.server.metrics.PrometheusText;
import java.util.ArrayList;
import java.util.List;

/** The small GET routes: /v1/models, /health, /version, /load, /metrics. */
public final class InfoEndpoints {
  public static final String VERSION = "0.1.0";
  private final ServingContext ctx;
  private final long created = System.currentTimeMillis() / 1000;

  public InfoEndpoints(ServingContext ctx) {
    this.ctx = ctx;
  }

  public record ModelCard(String id, String object, long created, String ownedBy, String root,
      String parent, int maxModelLen) {}

  public record ModelList(String object, List<ModelCard> data) {}

  public record Version(String version) {}

  public record Load(long serverLoad) {}

  public void models(Exchange ex) throws Exception {
    List<ModelCard> cards = new ArrayList<>();
    for (String name : ctx.models().names()) {
      cards.add(new ModelCard(name, "model", created, "barista", ctx.models().root(), null,
          ctx.backend().maxModelLen()));
    }
    ex.sendJson(200, new ModelList("list", cards));
  }

  public void health(Exchange ex) throws Exception {
    ex.sendText(200, "text/plain", "");
  }

  public void version(Exchange ex) throws Exception {
    ex.sendJson(200, new Version(VERSION));
  }

  /** vLLM's /load: requests in flight, for load balancers. */
  public void load(Exchange ex) throws Exception {
    ex.sendJson(200, new Load(ctx.metrics().inFlight()));
  }

  public void metrics(Exchange ex) throws Exception {
    ex.sendText(200, PrometheusText.CONTENT_TYPE, ctx.metrics().scrape());
  }
}
