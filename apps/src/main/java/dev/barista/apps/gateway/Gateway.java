package dev.barista.apps.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one port in front of every app (Jetty, one virtual thread per request): checks the app's API
 * key, then proxies to a replica through {@link ReplicaProxy}. {@code /_barista/} is the control
 * plane's admin API.
 */
public final class Gateway implements AutoCloseable {
  private static final int MAX_BODY = 32 * 1024 * 1024;

  private final Server server;
  private final ServerConnector connector;
  private final GatewayRoutes routes;
  private final AdminApi admin;
  private final ReplicaProxy proxy;

  public Gateway(String host, int port, GatewayRoutes routes, AdminApi admin, HttpClient http, int maxRetries) {
    this.routes = routes;
    this.admin = admin;
    this.proxy = new ReplicaProxy(http, maxRetries);
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("gateway");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(false); // replicas send their own
    connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(3_600_000); // long generations may pause between tokens
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        try {
          serve(request, response);
          callback.succeeded();
        } catch (Throwable t) {
          callback.failed(t);
        }
        return true;
      }
    });
  }

  public Gateway start() throws Exception {
    server.start();
    return this;
  }

  public int port() {
    return connector.getLocalPort();
  }

  private void serve(Request request, Response response) throws IOException, InterruptedException {
    String pathAndQuery = request.getHttpURI().getPathQuery();
    String authorization = request.getHeaders().get("Authorization");
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      error(response, 413, "request body over " + MAX_BODY + " bytes", null);
      return;
    }
    if (pathAndQuery.startsWith(AdminApi.PREFIX)) {
      AdminApi.Reply r = admin.handle(request.getMethod(), pathAndQuery, authorization, body);
      write(response, r.status(), "application/json", r.json().getBytes(StandardCharsets.UTF_8), null);
      return;
    }
    var route = routes.resolve(Request.getServerName(request), pathAndQuery, body);
    if (route.isEmpty()) {
      if (request.getMethod().equals("GET") && request.getHttpURI().getPath().equals("/v1/models")) {
        write(response, 200, "application/json", modelList(routes.modelsFor(authorization)), null);
        return;
      }
      error(response, 404, "no app serves " + request.getHttpURI().getPath()
          + " (use the app's host, the path prefix /apps/NAME, or a known \"model\")", null);
      return;
    }
    if (!routes.authorized(route.get(), authorization)) {
      error(response, 401, "app '" + route.get().app().spec().name() + "' requires an API key: send Authorization: Bearer KEY", null);
      return;
    }
    proxy.forward(route.get().app(), request.getMethod(), route.get().upstreamPath(), headers(request), body, new ReplicaProxy.Reply() {
      @Override
      public void error(int status, String message, Integer retryAfter) throws IOException {
        Gateway.error(response, status, message, retryAfter);
      }

      @Override
      public OutputStream begin(int status, Map<String, List<String>> headers) {
        response.setStatus(status);
        headers.forEach((name, values) -> values.forEach(v -> response.getHeaders().add(name, v)));
        return Content.Sink.asOutputStream(response);
      }
    });
  }

  private static Map<String, List<String>> headers(Request request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) out.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
    return out;
  }

  private static byte[] modelList(List<String> models) {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    json.put("object", "list");
    var data = json.putArray("data");
    for (String m : models) data.addObject().put("id", m).put("object", "model").put("owned_by", "barista");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void error(Response response, int status, String message, Integer retryAfter) throws IOException {
    write(response, status, "application/json", OpenAiErrors.body(status, message), retryAfter);
  }

  private static void write(Response response, int status, String type, byte[] body, Integer retryAfter) throws IOException {
    response.setStatus(status);
    response.getHeaders().put("Content-Type", type);
    if (retryAfter != null) response.getHeaders().put("Retry-After", Integer.toString(retryAfter));
    response.getHeaders().put("Content-Length", Integer.toString(body.length));
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(body);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
    proxy.close();
  }
}
