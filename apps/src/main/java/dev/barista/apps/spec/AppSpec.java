package dev.barista.apps.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The fields every app shares (Flyte's AppEnvironment, Union's App): an immutable, validated value.
 * Engine apps ({@link dev.barista.apps.engine.VllmApp} and friends) wrap one of these and generate its
 * command; a plain app runs {@code command + args}, where the token {@code {port}} becomes the port.
 */
public record AppSpec(
    String name,
    String description,
    String image,
    List<String> command,
    List<String> args,
    int port,
    Resources resources,
    Map<String, String> envVars,
    List<SecretRef> secrets,
    Scaling scaling,
    boolean requiresAuth,
    String domain,
    String subdomain,
    String customDomain,
    List<Link> links,
    List<String> include,
    List<Parameter> parameters,
    List<String> dependsOn,
    Duration requestTimeout,
    boolean interruptible,
    String clusterPool,
    StartupProbe startupProbe,
    List<AppHook> onStartup,
    List<AppHook> onShutdown)
    implements AppDeclaration {

  /** Ports the serving sidecar (queue proxy, metrics) owns on every replica host. */
  public static final Set<Integer> RESERVED_PORTS = Set.of(8012, 8022, 8112, 9090, 9091);

  public static final int DEFAULT_PORT = 8080;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofHours(24);

  public AppSpec {
    if (name == null || name.isEmpty()) throw new AppValidationException("name", "an app needs a name");
    Names.label("name", name);
    command = List.copyOf(command == null ? List.of() : command);
    args = List.copyOf(args == null ? List.of() : args);
    if (port < 1 || port > 65535) throw new AppValidationException("port", port + " is not a TCP port (1..65535)");
    if (RESERVED_PORTS.contains(port))
      throw new AppValidationException("port", port + " is reserved (reserved: 8012, 8022, 8112, 9090, 9091)");
    if (resources == null) resources = Resources.NONE;
    envVars = Map.copyOf(new LinkedHashMap<>(envVars == null ? Map.of() : envVars));
    envVars.keySet().forEach(k -> EnvNames.check("env_vars." + k, k));
    secrets = List.copyOf(secrets == null ? List.of() : secrets);
    if (scaling == null) scaling = Scaling.DEFAULT;
    domain = Names.host("domain", domain);
    subdomain = Names.label("subdomain", subdomain);
    customDomain = Names.host("custom_domain", customDomain);
    links = List.copyOf(links == null ? List.of() : links);
    include = List.copyOf(include == null ? List.of() : include);
    parameters = List.copyOf(parameters == null ? List.of() : parameters);
    dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
    for (String d : dependsOn) {
      Names.label("depends_on", d);
      if (d.equals(name)) throw new AppValidationException("depends_on", "an app cannot depend on itself");
    }
    if (requestTimeout == null) requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    if (requestTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0)
      throw new AppValidationException("request_timeout", "must be between 1ms and 24h, got " + requestTimeout);
    if (clusterPool != null && clusterPool.isBlank()) clusterPool = null;
    if (startupProbe == null) startupProbe = StartupProbe.DEFAULT;
    onStartup = List.copyOf(onStartup == null ? List.of() : onStartup);
    onShutdown = List.copyOf(onShutdown == null ? List.of() : onShutdown);
    checkEnvClashes(envVars, secrets, parameters);
  }

  /** Two sources setting one variable would make the replica's environment depend on ordering. */
  private static void checkEnvClashes(Map<String, String> env, List<SecretRef> secrets, List<Parameter> params) {
    Map<String, String> owner = new LinkedHashMap<>();
    env.keySet().forEach(k -> owner.put(k, "env_vars"));
    for (SecretRef s : secrets) claim(owner, s.envVar(), "secret '" + s.storeName() + "'");
    for (Parameter p : params) claim(owner, p.envVar(), "parameter '" + p.name() + "'");
  }

  private static void claim(Map<String, String> owner, String var, String who) {
    String prev = owner.putIfAbsent(var, who);
    if (prev != null)
      throw new AppValidationException("env_vars", "environment variable " + var + " is set by both " + prev + " and " + who);
  }

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  @Override
  public AppSpec spec() {
    return this;
  }

  /** The command a replica runs, with {@code {port}} replaced by the given port. */
  @Override
  public LaunchPlan launchPlan(int replicaPort, SecretResolver secrets) {
    if (command.isEmpty()) throw new AppValidationException("command", "app '" + name + "' has no command");
    List<String> argv = new ArrayList<>();
    for (String s : command) argv.add(s.replace("{port}", Integer.toString(replicaPort)));
    for (String s : args) argv.add(s.replace("{port}", Integer.toString(replicaPort)));
    return new LaunchPlan(argv, environment(secrets, replicaPort), startupProbe);
  }

  /** env_vars, parameters and secrets, plus PORT: what every replica of this app sees. */
  public Map<String, String> environment(SecretResolver resolver, int replicaPort) {
    Map<String, String> env = new LinkedHashMap<>(new java.util.TreeMap<>(envVars));
    for (Parameter p : parameters) env.put(p.envVar(), p.value());
    for (SecretRef s : secrets) env.put(s.envVar(), resolver.resolve(s.storeName()));
    env.put("PORT", Integer.toString(replicaPort));
    return env;
  }

  public List<String> containerCmd() {
    return command;
  }

  public List<String> containerArgs() {
    return args;
  }

  public int getPort() {
    return port;
  }

  /** Where the app answers behind the given gateway; see {@link Endpoints}. */
  public String endpoint(Endpoints gateway) {
    return gateway.url(this, false);
  }

  /** The public (host-routed) or the local (path-routed) URL of the app. */
  public String queryEndpoint(Endpoints gateway, boolean isPublic) {
    return gateway.url(this, isPublic);
  }

  /** A copy with changes: {@code app.cloneWith(b -> b.name("b").port(9000))}. */
  public AppSpec cloneWith(Consumer<Builder> changes) {
    Builder b = toBuilder();
    changes.accept(b);
    return b.build();
  }

  public AppSpec addDependency(AppDeclaration other) {
    Objects.requireNonNull(other, "other");
    return cloneWith(b -> b.dependsOn(other.spec().name()));
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name; b.description = description; b.image = image; b.command = new ArrayList<>(command);
    b.args = new ArrayList<>(args); b.port = port; b.resources = resources; b.envVars = new LinkedHashMap<>(envVars);
    b.secrets = new ArrayList<>(secrets); b.scaling = scaling; b.requiresAuth = requiresAuth; b.domain = domain;
    b.subdomain = subdomain; b.customDomain = customDomain; b.links = new ArrayList<>(links);
    b.include = new ArrayList<>(include); b.parameters = new ArrayList<>(parameters);
    b.dependsOn = new ArrayList<>(dependsOn); b.requestTimeout = requestTimeout; b.interruptible = interruptible;
    b.clusterPool = clusterPool; b.startupProbe = startupProbe; b.onStartup = new ArrayList<>(onStartup);
    b.onShutdown = new ArrayList<>(onShutdown);
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private String name, description, image, domain, subdomain, customDomain, clusterPool;
    private List<String> command = new ArrayList<>(), args = new ArrayList<>(), include = new ArrayList<>();
    private List<String> dependsOn = new ArrayList<>();
    private int port = DEFAULT_PORT;
    private Resources resources = Resources.NONE;
    private Map<String, String> envVars = new LinkedHashMap<>();
    private List<SecretRef> secrets = new ArrayList<>();
    private Scaling scaling = Scaling.DEFAULT;
    private boolean requiresAuth = true, interruptible;
    private List<Link> links = new ArrayList<>();
    private List<Parameter> parameters = new ArrayList<>();
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private StartupProbe startupProbe = StartupProbe.DEFAULT;
    private List<AppHook> onStartup = new ArrayList<>(), onShutdown = new ArrayList<>();

    public Builder name(String v) { name = v; return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder image(String v) { image = v; return this; }
    public Builder command(List<String> v) { command = new ArrayList<>(v); return this; }
    public Builder command(String... v) { return command(List.of(v)); }
    public Builder args(List<String> v) { args = new ArrayList<>(v); return this; }
    public Builder args(String... v) { return args(List.of(v)); }
    public Builder port(int v) { port = v; return this; }
    public Builder resources(Resources v) { resources = v; return this; }
    public Builder envVar(String k, String v) { envVars.put(k, v); return this; }
    public Builder envVars(Map<String, String> v) { envVars = new LinkedHashMap<>(v); return this; }
    public Builder secret(SecretRef v) { secrets.add(v); return this; }
    public Builder secrets(List<SecretRef> v) { secrets = new ArrayList<>(v); return this; }
    public Builder scaling(Scaling v) { scaling = v; return this; }
    public Builder replicas(int min, int max) { scaling = new Scaling(min, max, scaling.scaledownAfter(), scaling.metric()); return this; }
    public Builder requiresAuth(boolean v) { requiresAuth = v; return this; }
    public Builder domain(String v) { domain = v; return this; }
    public Builder subdomain(String v) { subdomain = v; return this; }
    public Builder customDomain(String v) { customDomain = v; return this; }
    public Builder link(Link v) { links.add(v); return this; }
    public Builder links(List<Link> v) { links = new ArrayList<>(v); return this; }
    public Builder include(List<String> v) { include = new ArrayList<>(v); return this; }
    public Builder parameter(Parameter v) { parameters.add(v); return this; }
    public Builder parameters(List<Parameter> v) { parameters = new ArrayList<>(v); return this; }
    public Builder dependsOn(String v) { dependsOn.add(v); return this; }
    public Builder dependsOn(List<String> v) { dependsOn = new ArrayList<>(v); return this; }
    public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
    public Builder interruptible(boolean v) { interruptible = v; return this; }
    public Builder clusterPool(String v) { clusterPool = v; return this; }
    public Builder startupProbe(StartupProbe v) { startupProbe = v; return this; }
    public StartupProbe currentStartupProbe() { return startupProbe; }
    public Builder onStartup(AppHook v) { onStartup.add(v); return this; }
    public Builder onShutdown(AppHook v) { onShutdown.add(v); return this; }

    public AppSpec build() {
      return new AppSpec(name, description, image, command, args, port, resources, envVars, secrets, scaling,
          requiresAuth, domain, subdomain, customDomain, links, include, parameters, dependsOn, requestTimeout,
          interruptible, clusterPool, startupProbe, onStartup, onShutdown);
    }
  }
}
