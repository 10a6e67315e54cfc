package dev.barista.apps.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.apps.engine.EngineApp;
import dev.barista.apps.engine.StoredModelCheck;
import dev.barista.apps.gateway.AdminApi;
import dev.barista.apps.gateway.Gateway;
import dev.barista.apps.gateway.GatewayRoutes;
import dev.barista.apps.gateway.Route;
import dev.barista.apps.secrets.BaristaDirs;
import dev.barista.apps.secrets.MissingSecretException;
import dev.barista.apps.secrets.SecretStore;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.spec.Endpoints;
import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.state.StateStore;
import dev.barista.apps.yaml.AppFileReader;
import dev.barista.apps.yaml.AppFileWriter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The local runtime: a control plane in this process with one gateway port for every app, replica
 * processes on this machine, and state in an embedded database under the state folder, so that a new
 * instance finds the apps an earlier one ran.
 */
public final class LocalRuntime implements AppRuntime, GatewayRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param baristaCommand words that run the Barista CLI for BaristaApp replicas; null to look it up
   * @param domain the domain for host routing when an app declares none ({@code NAME.localhost})
   */
  public record Options(BaristaDirs dirs, String host, int port, String domain, List<String> baristaCommand, RuntimeSettings settings) {
    public Options {
      if (host == null) host = "127.0.0.1";
      if (domain == null) domain = "localhost";
      if (settings == null) settings = RuntimeSettings.DEFAULT;
    }
  }

  private final Options options;
  private final StateStore store;
  private final RuntimeContext ctx;
  private final Map<String, AppController> apps = new ConcurrentHashMap<>();
  /** Previous revisions still serving until the new one has a ready replica. */
  private final Map<String, AppController> retiring = new ConcurrentHashMap<>();
  /** API key hashes by app, mirrored from the database so auth costs no query per request. */
  private final Map<String, String> keyHashes = new ConcurrentHashMap<>();
  private final Gateway gateway;
  private volatile Endpoints endpoints;

  private LocalRuntime(Options options, AdminApiFactory admin) throws Exception {
    this.options = options;
    this.store = new StateStore(options.dirs().state().resolve("db"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    this.ctx = new RuntimeContext(new Launcher(options.baristaCommand()), new SecretStore(options.dirs().config()).resolver(),
        http, store, options.dirs().state().resolve("logs"), options.settings());
    try {
      this.gateway = new Gateway(options.host(), options.port(), this, admin.create(this), http, options.settings().maxRetries()).start();
    } catch (Exception e) {
      store.close(); // e.g. the port is taken: leave nothing running
      throw e;
    }
    this.endpoints = new Endpoints(options.host(), gateway.port(), options.domain());
    stopOrphans();
    for (StateStore.AppRow row : store.apps()) restore(row);
  }

  /** Builds the admin API once the runtime exists (it needs the runtime to act on). */
  public interface AdminApiFactory {
    AdminApi create(LocalRuntime runtime);
  }

  public static LocalRuntime start(Options options, AdminApiFactory admin) throws Exception {
    return new LocalRuntime(options, admin);
  }

  public int port() {
    return gateway.port();
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  public Options options() {
    return options;
  }

  private void restore(StateStore.AppRow row) {
    try {
      AppDeclaration app = AppFileReader.parse(row.spec(), null, "stored app '" + row.name() + "'").get(0);
      apps.put(row.name(), new AppController(app, row.revision(), ctx, row.desired().equals("STOPPED")));
      if (row.apiKeyHash() != null) keyHashes.put(row.name(), row.apiKeyHash());
      store.event(row.name(), "restore", "control plane restarted; revision " + row.revision() + " restored");
    } catch (RuntimeException e) {
      store.event(row.name(), "error", "cannot restore: " + e.getMessage());
    }
  }

  /** Replicas a previous control plane left running would hold ports and memory: stop them. */
  private void stopOrphans() {
    for (StateStore.AppRow row : store.apps()) {
      for (StateStore.ReplicaRow r : store.replicas(row.name())) {
        if (r.state().equals("STOPPED") || r.state().equals("FAILED")) continue;
        ProcessHandle.of(r.pid()).filter(p -> p.info().commandLine().map(c -> c.contains(Integer.toString(r.port()))).orElse(false))
            .ifPresent(p -> {
              p.descendants().forEach(ProcessHandle::destroy);
              p.destroy();
            });
        store.saveReplica(new StateStore.ReplicaRow(r.id(), r.app(), r.revision(), r.port(), r.pid(), "STOPPED", r.log()));
      }
    }
  }

  @Override
  public synchronized Deployment deploy(AppDeclaration app) {
    AppSpec spec = app.spec();
    for (String dep : spec.dependsOn())
      if (!apps.containsKey(dep))
        throw new AppValidationException("depends_on", "app '" + dep + "' is not deployed; deploy it first").in("app '" + spec.name() + "'");
    checkRunnable(app);
    String yaml = AppFileWriter.write(app);
    AppController current = apps.get(spec.name());
    Optional<StateStore.AppRow> row = store.app(spec.name());
    if (current != null && !current.isStopped() && row.isPresent() && row.get().spec().equals(yaml) && app.spec().onStartup().isEmpty())
      return new Deployment(spec.name(), current.revision(), endpoint(spec.name(), false), endpoint(spec.name(), true), null);
    String newKey = null;
    if (spec.requiresAuth() && (row.isEmpty() || row.get().apiKeyHash() == null)) newKey = ApiKeys.newKey();
    int revision = store.saveRevision(spec.name(), yaml, newKey == null ? null : ApiKeys.hash(newKey));
    if (newKey != null) keyHashes.put(spec.name(), ApiKeys.hash(newKey));
    store.event(spec.name(), "deploy", "revision " + revision + " deployed");
    AppController next = new AppController(app, revision, ctx, false);
    apps.put(spec.name(), next);
    if (current != null) retire(spec.name(), current, next);
    return new Deployment(spec.name(), revision, endpoint(spec.name(), false), endpoint(spec.name(), true), newKey);
  }

  /** Fails the deploy, not the first request, when a secret is missing or the engine is not installed. */
  private void checkRunnable(AppDeclaration app) {
    String where = "app '" + app.spec().name() + "'";
    try {
      LaunchPlan plan = app.launchPlan(app.spec().port(), ctx.secrets());
      ctx.launcher().resolve(plan.argv());
      if (app instanceof EngineApp engineApp) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(plan.env());
        try {
          StoredModelCheck.check(engineApp, env);
        } catch (AppValidationException e) {
          throw e.in(where);
        }
      }
    } catch (MissingSecretException e) {
      throw new AppValidationException("secrets", e.getMessage()).in(where);
    } catch (Launcher.LaunchException e) {
      throw new AppValidationException("", e.getMessage()).in(where);
    }
  }

  /**
   * The old revision keeps serving until the new one has a ready replica (an app with min 0 cuts over
   * at once: its first request starts a replica anyway), then drains.
   */
  private void retire(String name, AppController old, AppController next) {
    AppController older = retiring.put(name, old);
    if (older != null) Thread.ofVirtual().start(older::close);
    Thread.ofVirtual().start(() -> {
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (!old.isStopped() && !next.hasReadyReplica() && next.spec().scaling().minReplicas() > 0 && apps.get(name) == next
          && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          break;
        }
      }
      retiring.remove(name, old);
      old.close(); // finishes its in-flight requests
    });
  }

  @Override
  public List<AppStatus> list() {
    return apps.values().stream().map(AppController::status).sorted(Comparator.comparing(AppStatus::name)).toList();
  }

  @Override
  public AppStatus status(String name) {
    return controller(name).status();
  }

  public List<StateStore.EventRow> events(String name, int limit) {
    controller(name);
    return store.events(name, limit);
  }

  @Override
  public String logs(String name, int lines) {
    controller(name);
    Path dir = ctx.logDir().resolve(name);
    if (!Files.isDirectory(dir)) return "";
    try (var files = Files.list(dir)) {
      List<Path> logs = files.sorted(Comparator.comparingLong(LocalRuntime::modified)).toList();
      StringBuilder out = new StringBuilder();
      for (Path p : logs.subList(Math.max(0, logs.size() - 4), logs.size())) {
        List<String> all = Files.readAllLines(p);
        out.append("==> ").append(p.getFileName().toString().replace(".log", "")).append(" <==\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
      }
      return out.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read logs of '" + name + "': " + e.getMessage(), e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void stop(String name) {
    controller(name).stop();
    AppController old = retiring.get(name);
    if (old != null) old.stop();
    store.setDesired(name, "STOPPED");
    store.event(name, "stop", "stopped by request");
  }

  @Override
  public void delete(String name) {
    AppController c = controller(name);
    apps.remove(name);
    keyHashes.remove(name);
    AppController old = retiring.remove(name);
    if (old != null) old.close();
    c.close();
    store.deleteApp(name);
  }

  @Override
  public String rotateKey(String name) {
    controller(name);
    String key = ApiKeys.newKey();
    store.setApiKeyHash(name, ApiKeys.hash(key));
    keyHashes.put(name, ApiKeys.hash(key));
    store.event(name, "key", "API key rotated");
    return key;
  }

  @Override
  public String endpoint(String name, boolean isPublic) {
    return endpoints == null ? "" : endpoints.url(controller(name).spec(), isPublic);
  }

  private AppController controller(String name) {
    AppController c = apps.get(name);
    if (c == null) throw new NoSuchAppException(name);
    return c;
  }

  @Override
  public Optional<Route> resolve(String host, String pathAndQuery, byte[] body) {
    return find(host, pathAndQuery, body).map(r -> {
      AppController old = retiring.get(r.app().spec().name());
      return old != null && !r.app().hasReadyReplica() && old.hasReadyReplica() ? new Route(old, r.upstreamPath()) : r;
    });
  }

  private Optional<Route> find(String host, String pathAndQuery, byte[] body) {
    String h = host == null ? "" : host.toLowerCase();
    for (AppController c : apps.values())
      if (h.equals(endpoints.host(c.spec()))) return Optional.of(new Route(c, pathAndQuery));
    if (pathAndQuery.startsWith(Endpoints.PATH_PREFIX)) {
      String rest = pathAndQuery.substring(Endpoints.PATH_PREFIX.length());
      int cut = indexOfAny(rest);
      AppController c = apps.get(cut < 0 ? rest : rest.substring(0, cut));
      if (c != null) {
        String upstream = cut < 0 ? "/" : rest.substring(cut);
        return Optional.of(new Route(c, upstream.startsWith("?") ? "/" + upstream : upstream));
      }
    }
    String model = modelField(body);
    if (model != null)
      for (AppController c : apps.values()) if (c.app().servedModels().contains(model)) return Optional.of(new Route(c, pathAndQuery));
    return Optional.empty();
  }

  private static int indexOfAny(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '/' || s.charAt(i) == '?') return i;
    return -1;
  }

  private static String modelField(byte[] body) {
    if (body.length == 0 || body[0] != '{') return null;
    try {
      JsonNode model = JSON.readTree(body).get("model");
      return model != null && model.isTextual() ? model.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public boolean authorized(Route route, String authorization) {
    AppSpec spec = route.app().spec();
    if (!spec.requiresAuth()) return true;
    return ApiKeys.matches(authorization, keyHashes.get(spec.name()));
  }

  @Override
  public List<String> modelsFor(String authorization) {
    List<String> out = new ArrayList<>();
    for (AppController c : apps.values())
      if (!c.isStopped() && authorized(new Route(c, "/"), authorization)) out.addAll(c.app().servedModels());
    out.sort(null);
    return out;
  }

  /** Stops the gateway and drains every app's replicas; the apps stay in the database. */
  @Override
  public void close() {
    try {
      gateway.close();
    } catch (Exception ignored) {
      // stopping anyway
    }
    java.util.stream.Stream.concat(apps.values().stream(), retiring.values().stream()).toList().parallelStream().forEach(AppController::close);
    store.close();
  }
}
