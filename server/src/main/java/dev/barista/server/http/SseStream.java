package dev.barista.server.http;

import dev.barista.server.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Server-sent events as OpenAI streams them: "data: {json}\n\n" per chunk, then "data: [DONE]". */
public final class SseStream {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private final Exchange exchange;

  SseStream(Exchange exchange) {
    this.exchange = exchange;
  }

  /** Writes one event; throws once the client has disconnected. */
  public void send(Object chunk) throws IOException {
    byte[] json = Json.bytes(chunk);
    byte[] event = new byte[json.length + 8];
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
    System.arraycopy(json, 0, event, 6, json.length);
    event[event.length - 2] = '\n';
    event[event.length - 1] = '\n';
    exchange.write(false, event);
  }

  public void done() throws IOException {
    exchange.write(true, DONE);
  }
}
