package dev.barista.apps.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.apps.gateway.AdminApi;
import dev.barista.apps.runtime.AppRuntime;
import dev.barista.apps.runtime.AppStatus;
import dev.barista.apps.runtime.LocalRuntime;
import dev.barista.apps.runtime.NoSuchAppException;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.state.StateStore;
import dev.barista.apps.yaml.AppFileReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The control plane's JSON API under {@code /_barista/}, used by {@code barista deploy} and
 * {@code barista apps}; every call but health needs the admin token from controlplane.json.
 */
public final class AdminEndpoints implements AdminApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LocalRuntime runtime;
  private final String token;
  private final Runnable shutdown;

  public AdminEndpoints(LocalRuntime runtime, String token, Runnable shutdown) {
    this.runtime = runtime;
    this.token = token;
    this.shutdown = shutdown;
  }

  @Override
  public Reply handle(String method, String pathAndQuery, String authorization, byte[] body) {
    String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
    String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
    if (path.equals(PREFIX + "health")) return ok(JSON.createObjectNode().put("status", "ok"));
    if (!authorized(authorization)) return error(401, "the admin token is missing or wrong");
    try {
      List<String> parts = List.of(path.substring(PREFIX.length()).split("/"));
      String name = parts.size() > 1 ? URLDecoder.decode(parts.get(1), StandardCharsets.UTF_8) : null;
      String action = parts.size() > 2 ? parts.get(2) : "";
      return switch (method + " " + parts.get(0) + (name == null ? "" : "/*") + (action.isEmpty() ? "" : "/" + action)) {
        case "POST apps" -> deploy(new String(body, StandardCharsets.UTF_8));
        case "GET apps" -> ok(statuses(runtime.list()));
        case "GET apps/*" -> ok(detail(name));
        case "GET apps/*/logs" -> ok(JSON.createObjectNode().put("logs", runtime.logs(name, lines(query))));
        case "POST apps/*/stop" -> {
          runtime.stop(name);
          yield ok(JSON.createObjectNode().put("stopped", name));
        }
        case "DELETE apps/*" -> {
          runtime.delete(name);
          yield ok(JSON.createObjectNode().put("deleted", name));
        }
        case "POST apps/*/rotate-key" -> ok(JSON.createObjectNode().put("api_key", runtime.rotateKey(name)));
        case "POST shutdown" -> {
          Thread.ofPlatform().start(shutdown);
          yield ok(JSON.createObjectNode().put("status", "stopping"));
        }
        default -> error(404, "no admin call " + method + " " + path);
      };
    } catch (NoSuchAppException e) {
      return error(404, e.getMessage());
    } catch (AppValidationException e) {
      return error(400, e.getMessage());
    } catch (RuntimeException e) {
      return error(500, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private Reply deploy(String yaml) {
    List<AppDeclaration> apps = AppFileReader.parse(yaml, null, "deploy");
    ArrayNode out = JSON.createArrayNode();
    for (AppDeclaration app : apps) {
      AppRuntime.Deployment d = runtime.deploy(app);
      ObjectNode n = out.addObject().put("name", d.name()).put("revision", d.revision())
          .put("endpoint", d.endpoint()).put("public_endpoint", d.publicEndpoint());
      if (d.apiKey() != null) n.put("api_key", d.apiKey());
    }
    return ok(out);
  }

  private ObjectNode detail(String name) {
    ObjectNode n = status(runtime.status(name));
    ArrayNode events = n.putArray("events");
    for (StateStore.EventRow e : runtime.events(name, 30))
      events.addObject().put("at", e.at().toString()).put("kind", e.kind()).put("message", e.message());
    return n;
  }

  private ArrayNode statuses(List<AppStatus> all) {
    ArrayNode arr = JSON.createArrayNode();
    all.forEach(s -> arr.add(status(s)));
    return arr;
  }

  private ObjectNode status(AppStatus s) {
    ObjectNode n = JSON.valueToTree(s);
    n.put("endpoint", runtime.endpoint(s.name(), false));
    n.put("public_endpoint", runtime.endpoint(s.name(), true));
    return n;
  }

  private static int lines(String query) {
    for (String kv : query.split("&"))
      if (kv.startsWith("lines=") && kv.substring(6).matches("\\d{1,6}")) return Integer.parseInt(kv.substring(6));
    return 100;
  }

  private boolean authorized(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) return false;
    return MessageDigest.isEqual(authorization.substring(7).getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private static Reply ok(Object json) {
    return new Reply(200, json.toString());
  }

  private static Reply error(int status, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.putObject("error").put("message", message);
    return new Reply(status, n.toString());
  }
}
