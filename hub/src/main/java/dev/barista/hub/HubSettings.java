package dev.barista.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the hub is and where its cache lives, read from the same variables huggingface_hub uses
 * (HF_ENDPOINT, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_TOKEN, HF_TOKEN_PATH). Tests build one
 * from a map instead of mutating the process environment.
 */
public record HubSettings(URI endpoint, Path hfHome, Path hubCache, Optional<String> token, boolean offline) {

  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

  public HubSettings {
    String e = endpoint.toString();
    if (e.endsWith("/")) endpoint = URI.create(e.substring(0, e.length() - 1));
  }

  /** Settings of this process. */
  public static HubSettings fromEnvironment() {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  public static HubSettings fromEnvironment(Map<String, String> env, Path userHome) {
    URI endpoint = nonBlank(env.get("HF_ENDPOINT")).map(URI::create).orElse(DEFAULT_ENDPOINT);
    Path cacheHome =
        nonBlank(env.get("XDG_CACHE_HOME")).map(Path::of).orElse(userHome.resolve(".cache"));
    Path hfHome =
        nonBlank(env.get("HF_HOME")).map(Path::of).orElse(cacheHome.resolve("huggingface"));
    Path hubCache = nonBlank(env.get("HF_HUB_CACHE")).map(Path::of).orElse(hfHome.resolve("hub"));
    Path tokenPath = nonBlank(env.get("HF_TOKEN_PATH")).map(Path::of).orElse(hfHome.resolve("token"));
    Optional<String> token = nonBlank(env.get("HF_TOKEN")).or(() -> readToken(tokenPath));
    return new HubSettings(endpoint, hfHome, hubCache, token, truthy(env.get("HF_HUB_OFFLINE")));
  }

  public HubSettings withOffline(boolean offline) {
    return new HubSettings(endpoint, hfHome, hubCache, token, offline);
  }

  public HubSettings withToken(Optional<String> token) {
    return new HubSettings(endpoint, hfHome, hubCache, token, offline);
  }

  /** The token, masked, for messages. */
  @Override
  public String toString() {
    return "HubSettings[endpoint=" + endpoint + ", hubCache=" + hubCache + ", token="
        + (token.isPresent() ? "***" : "none") + ", offline=" + offline + "]";
  }

  private static Optional<String> readToken(Path file) {
    try {
      if (!Files.isRegularFile(file)) return Optional.empty();
      return nonBlank(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }

  private static boolean truthy(String s) {
    if (s == null) return false;
    return switch (s.strip().toUpperCase(Locale.ROOT)) {
      case "1", "ON", "YES", "TRUE" -> true;
      default -> false;
    };
  }
}
