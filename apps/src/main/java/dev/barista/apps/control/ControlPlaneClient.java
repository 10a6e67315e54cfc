package dev.barista.apps.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Talks to a running control plane's admin API (found through controlplane.json). */
public final class ControlPlaneClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ControlPlaneFile target;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public ControlPlaneClient(ControlPlaneFile target) {
    this.target = target;
  }

  /** The control plane recorded in {@code configDir}, if it answers. */
  public static Optional<ControlPlaneClient> find(Path configDir) {
    return ControlPlaneFile.read(configDir).map(ControlPlaneClient::new).filter(ControlPlaneClient::alive);
  }

  public String url() {
    return target.url();
  }

  public boolean alive() {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(target.url() + "/_barista/health")).timeout(Duration.ofSeconds(3)).build();
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public JsonNode deploy(String yaml) {
    return call("POST", "apps", yaml);
  }

  public JsonNode list() {
    return call("GET", "apps", null);
  }

  public JsonNode status(String app) {
    return call("GET", "apps/" + enc(app), null);
  }

  public String logs(String app, int lines) {
    return call("GET", "apps/" + enc(app) + "/logs?lines=" + lines, null).path("logs").asText();
  }

  public void stop(String app) {
    call("POST", "apps/" + enc(app) + "/stop", "");
  }

  public void delete(String app) {
    call("DELETE", "apps/" + enc(app), null);
  }

  public String rotateKey(String app) {
    return call("POST", "apps/" + enc(app) + "/rotate-key", "").path("api_key").asText();
  }

  public void shutdown() {
    call("POST", "shutdown", "");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode call(String method, String path, String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(target.url() + "/_barista/" + path))
        .header("Authorization", "Bearer " + target.token())
        .timeout(Duration.ofMinutes(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      JsonNode json = JSON.readTree(resp.body());
      if (resp.statusCode() != 200) throw new ControlPlaneException(json.path("error").path("message").asText("HTTP " + resp.statusCode()));
      return json;
    } catch (IOException e) {
      throw new ControlPlaneException("cannot reach the control plane at " + target.url() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlPlaneException("interrupted");
    }
  }

  /** The control plane refused a call or could not be reached; the message says why. */
  public static final class ControlPlaneException extends RuntimeException {
    public ControlPlaneException(String message) {
      super(message);
    }
  }
}
