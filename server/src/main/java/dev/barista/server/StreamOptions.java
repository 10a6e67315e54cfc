package dev.barista.server;

import dev.barista.server.api.ApiException;
import dev.barista.server.api.RequestFields;

/** "stream" and "stream_options" of a request. */
public record StreamOptions(boolean stream, boolean includeUsage) {
  public static StreamOptions read(RequestFields f) {
    boolean stream = f.bool("stream", false);
    RequestFields opts = f.object("stream_options");
    if (opts != null && !stream) {
      throw ApiException.invalid("stream_options",
          "stream_options can only be given when stream is true");
    }
    boolean usage = opts != null && opts.bool("include_usage", false);
    return new StreamOptions(stream, usage);
  }
}
