package dev.barista.apps.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One supervised replica process listening on a loopback port. */
public final class Replica implements Router.Candidate {
  private final String id;
  private final int port;
  private final Path log;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final long createdMillis = System.currentTimeMillis();
  private volatile ReplicaState state = ReplicaState.STARTING;
  private volatile Process process;

  Replica(String id, int port, Path log) {
    this.id = id;
    this.port = port;
    this.log = log;
  }

  @Override
  public String id() {
    return id;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public ReplicaState state() {
    return state;
  }

  void state(ReplicaState s) {
    state = s;
  }

  @Override
  public boolean routable() {
    return state == ReplicaState.READY;
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }

  AtomicInteger outstandingCounter() {
    return outstanding;
  }

  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public long createdMillis() {
    return createdMillis;
  }

  Process process() {
    return process;
  }

  /** Starts the process with its output appended to the log file. */
  void start(List<String> argv, Map<String, String> env) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
  }

  /** One startup probe: true when GET {@code path} answers 2xx. */
  boolean probe(HttpClient http, String path) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).GET().build();
      int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 300;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGTERM to the process and its children, then SIGKILL after {@code grace}. */
  void stop(Duration grace) {
    Process p = process;
    if (p == null) return;
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
