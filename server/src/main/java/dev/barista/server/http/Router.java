package dev.barista.server.http;

import dev.barista.engine.api.InvalidParameterException;
import dev.barista.server.api.ApiException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact-path routing with OpenAI-shaped errors: 404 for an unknown route, 405 (with Allow) for a
 * known one with the wrong method, 401 on /v1 routes without the API key, 400/413/500 from handlers.
 */
public final class Router {
  private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();
  private final ApiKeyCheck apiKey;

  public Router(ApiKeyCheck apiKey) {
    this.apiKey = apiKey;
  }

  public Router add(String method, String path, Endpoint endpoint) {
    routes.computeIfAbsent(path, p -> new TreeMap<>()).put(method, endpoint);
    return this;
  }

  void dispatch(Exchange ex) throws IOException {
    try {
      if (ex.path().startsWith("/v1/") || ex.path().equals("/v1")) {
        apiKey.check(ex.header("Authorization"));
      }
      Map<String, Endpoint> byMethod = routes.get(ex.path());
      if (byMethod == null) {
        throw ApiException.notFound("route not found: " + ex.method() + " " + ex.path());
      }
      Endpoint endpoint = byMethod.get(ex.method());
      if (endpoint == null && ex.method().equals("HEAD")) endpoint = byMethod.get("GET");
      if (endpoint == null) {
        ex.setHeader("Allow", String.join(", ", byMethod.keySet()));
        throw new ApiException(405, "MethodNotAllowed",
            "method " + ex.method() + " is not allowed on " + ex.path(), null);
      }
      endpoint.handle(ex);
    } catch (ApiException e) {
      replyError(ex, e);
    } catch (InvalidParameterException e) {
      replyError(ex, ApiException.invalid(e.field(), e.getMessage()));
    } catch (IOException e) {
      throw e; // the client went away; nothing left to tell it
    } catch (Exception e) {
      replyError(ex, new ApiException(500, "InternalServerError",
          e.getClass().getSimpleName() + ": " + e.getMessage(), null));
    }
  }

  private static void replyError(Exchange ex, ApiException e) throws IOException {
    if (ex.committed()) return; // a stream reports its own errors in-band
    ex.sendError(e);
  }
}
