package dev.barista.server;

import dev.barista.server.api.ApiException;
import java.util.List;

/** The names a model is served under (--served-model-name); the first appears in responses. */
public record ServedModels(List<String> names, String root) {
  public ServedModels {
    names = List.copyOf(names);
    if (names.isEmpty()) throw new IllegalArgumentException("at least one served model name");
  }

  public String primary() {
    return names.get(0);
  }

  /** The name to answer with; an absent model means the primary, an unknown one is a 404. */
  public String resolve(String requested) {
    if (requested == null || names.contains(requested)) return primary();
    throw new ApiException(404, "NotFoundError", "The model `" + requested + "` does not exist.",
        "model");
  }
}
