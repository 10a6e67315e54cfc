package dev.barista.apps.gateway;

import dev.barista.apps.runtime.AppController;
import dev.barista.apps.runtime.Lease;
import dev.barista.apps.runtime.Replica;
import dev.barista.apps.runtime.Unavailable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one request to a replica and streams the answer back byte for byte (SSE included), flushing
 * as chunks arrive. A request that never reached a replica (connection refused or reset before any
 * response) is retried on another; one whose response had begun is never repeated.
 */
final class ReplicaProxy {
  /** Headers that describe one hop, not the message; plus those HttpClient sets itself. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
      "authorization", "http2-settings");

  private final HttpClient http;
  private final int maxRetries;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gateway-timeouts");
    t.setDaemon(true);
    return t;
  });

  ReplicaProxy(HttpClient http, int maxRetries) {
    this.http = http;
    this.maxRetries = maxRetries;
  }

  /** What the gateway must write back; the body is streamed by {@link #copy}. */
  interface Reply {
    void error(int status, String message, Integer retryAfterSeconds) throws IOException;

    OutputStream begin(int status, Map<String, List<String>> headers) throws IOException;
  }

  void forward(AppController app, String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body,
      Reply reply) throws IOException, InterruptedException {
    app.arrived();
    Duration timeout = app.spec().requestTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> tried = new HashSet<>();
    Map<String, Integer> failures = new java.util.HashMap<>();
    for (int attempt = 0; ; attempt++) {
      Lease lease;
      try {
        lease = app.acquire(tried, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } catch (Unavailable u) {
        reply.error(503, u.getMessage(), u.retryAfterSeconds());
        return;
      }
      Replica replica = lease.replica();
      HttpResponse<InputStream> upstream;
      try {
        upstream = http.send(request(replica, method, pathAndQuery, headers, body, deadline), HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpTimeoutException e) {
        lease.close();
        reply.error(504, "app '" + app.spec().name() + "' did not answer within request_timeout " + timeout, null);
        return;
      } catch (IOException e) {
        lease.close(); // never reached the replica: safe to send again
        app.suspect(replica);
        // a live replica gets a second try (a pooled connection may have been closed while idle)
        if (!replica.alive() || failures.merge(replica.id(), 1, Integer::sum) >= 2) tried.add(replica.id());
        if (attempt >= maxRetries) {
          reply.error(502, "app '" + app.spec().name() + "': no replica could take the request (" + e.getMessage() + ")", null);
          return;
        }
        continue;
      }
      try (lease; InputStream in = upstream.body()) {
        OutputStream out = reply.begin(upstream.statusCode(), passThrough(upstream.headers()));
        copy(in, out, deadline);
      }
      return;
    }
  }

  private HttpRequest request(Replica r, String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body, long deadline) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.url() + pathAndQuery))
        .timeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase())) values.forEach(v -> b.header(name, v));
    });
    return b.build();
  }

  private static Map<String, List<String>> passThrough(HttpHeaders headers) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    headers.map().forEach((name, values) -> {
      String lower = name.toLowerCase();
      if (!name.startsWith(":") && (lower.equals("content-length") || !HOP_BY_HOP.contains(lower))) out.put(name, values);
    });
    return out;
  }

  /** Copies as bytes arrive, flushing each read; closes the upstream at the deadline. */
  private void copy(InputStream in, OutputStream out, long deadline) throws IOException {
    ScheduledFuture<?> cut = timer.schedule(() -> {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing cancels the exchange either way
      }
    }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    try {
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (in.available() == 0) out.flush(); // pass each event on as soon as nothing more is waiting
      }
      out.close();
    } finally {
      cut.cancel(false);
    }
  }

  void close() {
    timer.shutdownNow();
  }
}
