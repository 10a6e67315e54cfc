package dev.barista.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP to the hub. Redirects are followed by hand so that the token goes to the hub's own host
 * only, never to the CDN host a large file redirects to.
 */
final class HubHttp {
  private static final int MAX_REDIRECTS = 5;

  private final HubSettings settings;
  private final HttpClient client;

  HubHttp(HubSettings settings) {
    this.settings = settings;
    // HTTP/1.1: parallel file downloads then use parallel connections rather than one HTTP/2 pipe.
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
  }

  /** True when a request to this URI may carry the token: same scheme, host and port as the hub. */
  boolean isHubHost(URI uri) {
    URI hub = settings.endpoint();
    return Objects.equals(hub.getScheme(), uri.getScheme())
        && hub.getHost() != null
        && hub.getHost().equalsIgnoreCase(uri.getHost())
        && port(hub) == port(uri);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) return u.getPort();
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** A HEAD without following redirects: the hub's own headers carry the file's metadata. */
  HttpResponse<Void> head(URI uri) throws IOException {
    HttpRequest head =
        request(uri, Map.of("Accept-Encoding", "identity"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    return send(head, HttpResponse.BodyHandlers.discarding());
  }

  HttpResponse<String> getString(URI uri) throws IOException {
    return follow(uri, Map.of(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<InputStream> getStream(URI uri, Map<String, String> headers) throws IOException {
    return follow(uri, headers, HttpResponse.BodyHandlers.ofInputStream());
  }

  private <T> HttpResponse<T> follow(URI uri, Map<String, String> headers, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<T> response = send(request(current, headers).GET().build(), handler);
      int code = response.statusCode();
      if (code < 300 || code >= 400 || code == 304) return response;
      String location = response.headers().firstValue("Location").orElse(null);
      if (location == null) return response;
      discard(response);
      current = current.resolve(location);
    }
    throw new HubException("too many redirects fetching " + uri);
  }

  private HttpRequest.Builder request(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2));
    headers.forEach(b::header);
    b.header("User-Agent", "barista/0.1; java/" + Runtime.version().feature());
    if (isHubHost(uri)) settings.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static void discard(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try (in) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException ignored) {
        // the connection is dropped; nothing to keep
      }
    }
  }
}
