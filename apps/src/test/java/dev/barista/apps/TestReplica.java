package dev.barista.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OpenAI-shaped server run as a real replica process by the runtime tests (the real
 * {@code barista serve} replicas are exercised by the cli module's end-to-end tests). It answers
 * after {@code "delay_ms"}, names its port, and streams SSE when {@code "stream": true}.
 */
public final class TestReplica {
  private static final Pattern DELAY = Pattern.compile("\"delay_ms\"\\s*:\\s*(\\d+)");
  private static final Pattern CHUNKS = Pattern.compile("\"chunks\"\\s*:\\s*(\\d+)");

  public static void main(String[] args) throws Exception {
    java.util.List<String> a = java.util.List.of(args); // flags by name: also runs as "barista serve MODEL ... --port N"
    int port = Integer.parseInt(a.get(a.indexOf("--port") + 1));
    int h = a.indexOf("--healthy-after-ms");
    long healthyAfter = System.currentTimeMillis() + (h >= 0 ? Long.parseLong(a.get(h + 1)) : 0);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/health", ex -> reply(ex, System.currentTimeMillis() >= healthyAfter ? 200 : 503, "text/plain", "ok"));
    server.createContext("/v1/chat/completions", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = DELAY.matcher(body);
      sleep(m.find() ? Long.parseLong(m.group(1)) : 0);
      Matcher c = CHUNKS.matcher(body);
      int chunks = c.find() ? Integer.parseInt(c.group(1)) : 3;
      if (body.contains("\"stream\": true") || body.contains("\"stream\":true")) stream(ex, port, chunks);
      else reply(ex, 200, "application/json", "{\"object\":\"chat.completion\",\"port\":" + port
          + ",\"auth\":\"" + ex.getRequestHeaders().getFirst("Authorization") + "\",\"path\":\"" + ex.getRequestURI() + "\"}");
    });
    server.start();
  }

  private static void stream(HttpExchange ex, int port, int chunks) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (int i = 0; i < chunks; i++) {
        out.write(("data: {\"port\":" + port + ",\"i\":" + i + ",\"text\":\"caf\u00e9 \\n\"}\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        sleep(100);
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
