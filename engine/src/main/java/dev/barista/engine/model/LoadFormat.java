package dev.barista.engine.model;

import java.util.Locale;

/**
 * Where weights come from: the folder's safetensors (auto; also runai_streamer, whose streaming
 * happens when the model is resolved, see ModelLocation) or random values (dummy).
 */
public enum LoadFormat {
  AUTO,
  DUMMY;

  /** Parses vLLM's --load-format names; the error names the field. */
  public static LoadFormat parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "auto", "safetensors", "runai_streamer", "stream" -> AUTO;
      case "dummy" -> DUMMY;
      default -> throw new dev.barista.engine.api.InvalidParameterException("load_format",
          "load_format must be auto, safetensors, runai_streamer, stream or dummy, got " + s);
    };
  }
}
