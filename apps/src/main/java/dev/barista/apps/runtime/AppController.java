package dev.barista.apps.runtime;

import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppHook;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one app: keeps the number of replicas the autoscaler asks for, starts and probes replica
 * processes, restarts failed ones with exponential backoff, drains replicas before stopping them, and
 * hands requests a replica (least outstanding first), holding them in a bounded queue while none is
 * ready.
 */
public final class AppController implements AutoCloseable {
  private static final long MAX_BACKOFF_MILLIS = 60_000;

  private final AppDeclaration app;
  private final int revision;
  private final RuntimeContext ctx;
  private final Autoscaler autoscaler;
  private final RateMeter rate = new RateMeter(10_000);
  private final Router router = new Router();
  private final List<Replica> replicas = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final Thread loop;
  private int queued; // guarded by lock
  private volatile boolean running = true;
  private volatile boolean stopped;
  private volatile boolean closed;
  private volatile String lastError;
  private volatile boolean launchFailed;
  private volatile int desiredReplicas;
  private int consecutiveFailures;
  private long nextStartMillis;

  public AppController(AppDeclaration app, int revision, RuntimeContext ctx, boolean stopped) {
    this.app = app;
    this.revision = revision;
    this.ctx = ctx;
    this.stopped = stopped;
    this.autoscaler = new Autoscaler(app.spec().scaling());
    this.loop = Thread.ofVirtual().name("app-" + app.spec().name()).start(this::reconcileLoop);
  }

  public AppDeclaration app() {
    return app;
  }

  public AppSpec spec() {
    return app.spec();
  }

  public int revision() {
    return revision;
  }

  /** Counts an arriving request for the request-rate metric. */
  public void arrived() {
    rate.record(System.currentTimeMillis());
  }

  /**
   * A replica for one request: the ready one with the fewest outstanding requests, skipping
   * {@code exclude}; waits (in a bounded queue) until one is ready or {@code wait} passes.
   */
  public Lease acquire(Set<String> exclude, Duration wait) throws Unavailable, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      Replica r = router.pick(replicas, exclude);
      if (r != null) return lease(r);
      if (stopped) throw new Unavailable("app '" + spec().name() + "' is stopped; deploy it again to start it", 60);
      if (queued >= ctx.settings().queueCapacity())
        throw new Unavailable("app '" + spec().name() + "' has " + queued + " requests waiting for a replica; try again later", 5);
      queued++;
      try {
        java.util.concurrent.locks.LockSupport.unpark(loop);
        while (true) {
          if (stopped || closed) throw new Unavailable("app '" + spec().name() + "' is stopped", 60);
          r = router.pick(replicas, exclude);
          if (r != null) return lease(r);
          // give up early when starting cannot work (not installed) or keeps failing; one crash may be transient
          if ((launchFailed || consecutiveFailures >= 3) && lastError != null && replicas.stream().noneMatch(x -> x.state().active()))
            throw new Unavailable("app '" + spec().name() + "' cannot start a replica: " + lastError, 30);
          long left = deadline - System.nanoTime();
          if (left <= 0) throw new Unavailable("no replica of app '" + spec().name() + "' became ready in time", 10);
          changed.awaitNanos(left);
        }
      } finally {
        queued--;
      }
    } finally {
      lock.unlock();
    }
  }

  private Lease lease(Replica r) {
    r.outstandingCounter().incrementAndGet();
    inFlight.incrementAndGet();
    return new Lease(this, r);
  }

  void release(Replica r) {
    r.outstandingCounter().decrementAndGet();
    inFlight.decrementAndGet();
    signal();
  }

  /** A request could not reach {@code r}: if its process is gone, stop routing to it right away. */
  public void suspect(Replica r) {
    if (!r.alive() && r.state().active()) failed(r, "exited");
  }

  /** Scale to zero and refuse requests until deployed again. */
  public void stop() {
    stopped = true;
    java.util.concurrent.locks.LockSupport.unpark(loop);
    signal();
  }

  public boolean hasReadyReplica() {
    for (Replica r : replicas) if (r.routable()) return true;
    return false;
  }

  public boolean isStopped() {
    return stopped;
  }

  public AppStatus status() {
    List<AppStatus.ReplicaInfo> infos = new ArrayList<>();
    for (Replica r : replicas) infos.add(new AppStatus.ReplicaInfo(r.id(), r.state().name(), r.port(), r.pid(), r.outstanding()));
    int q;
    lock.lock();
    try {
      q = queued;
    } finally {
      lock.unlock();
    }
    String kind = app.getClass().getSimpleName().equals("AppSpec") ? "App" : app.getClass().getSimpleName();
    return new AppStatus(spec().name(), kind, revision, stopped ? "STOPPED" : "RUNNING", spec().scaling().minReplicas(),
        spec().scaling().maxReplicas(), desiredReplicas, inFlight.get(), q, lastError, infos);
  }

  public List<Replica> replicas() {
    return List.copyOf(replicas);
  }

  private void reconcileLoop() {
    while (running) {
      try {
        reconcile();
      } catch (RuntimeException e) {
        lastError = e.getMessage();
        event("error", "reconcile failed: " + e.getMessage());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(ctx.settings().tick().toNanos());
    }
  }

  private void reconcile() {
    if (closed) return;
    long now = System.currentTimeMillis();
    int q;
    lock.lock();
    try {
      q = queued;
    } finally {
      lock.unlock();
    }
    int desired = stopped ? 0 : autoscaler.desired(now, inFlight.get(), q, rate.perSecond(now));
    if (desired != desiredReplicas) event("scale", "desired replicas " + desiredReplicas + " -> " + desired);
    desiredReplicas = desired;
    replicas.removeIf(r -> r.state() == ReplicaState.STOPPED || r.state() == ReplicaState.FAILED);
    List<Replica> active = replicas.stream().filter(r -> r.state().active()).toList();
    if (active.size() < desired && now >= nextStartMillis) {
      for (int i = active.size(); i < desired; i++) if (!startReplica()) break;
    } else if (active.size() > desired) {
      List<Replica> victims = new ArrayList<>(active);
      // starting replicas serve nobody yet; among ready ones, the least busy drains fastest
      victims.sort(Comparator.comparing((Replica r) -> r.state() == ReplicaState.READY).thenComparingInt(Replica::outstanding));
      for (Replica r : victims.subList(0, active.size() - desired)) drain(r);
    }
  }

  private boolean startReplica() {
    int port = Ports.freeLoopbackPort();
    Replica r;
    LaunchPlan plan;
    try {
      plan = ModelDownloads.prepareOrNull(app.launchPlan(port, ctx.secrets()), message -> event("model", message));
      if (plan == null) return false; // its model is downloading: the next tick asks again
      List<String> argv = ctx.launcher().resolve(plan.argv());
      String id = spec().name() + "-r" + revision + "-" + sequence.incrementAndGet();
      r = new Replica(id, port, ctx.logDir().resolve(spec().name()).resolve(id + ".log"));
      r.start(argv, plan.env());
    } catch (RuntimeException | java.io.IOException e) {
      lastError = e.getMessage();
      launchFailed = true;
      event("error", "cannot start a replica: " + e.getMessage());
      backoff();
      signal();
      return false;
    }
    launchFailed = false;
    replicas.add(r);
    if (closed) drain(r); // close() may have listed the replicas just before this one was added
    record(r);
    event("replica", r.id() + " started (pid " + r.pid() + ", port " + port + "): " + plan.commandLine());
    Thread.ofVirtual().name("replica-" + r.id()).start(() -> supervise(r, plan));
    return true;
  }

  /**
   * Probes the replica until it is ready, then waits for its process to end. The probe fails after
   * {@code failure_threshold} periods without success; it polls every 100 ms (or each period, if
   * shorter) so a replica is used as soon as it answers.
   */
  private void supervise(Replica r, LaunchPlan plan) {
    long period = plan.probe().period().toNanos();
    long poll = Math.min(period, TimeUnit.MILLISECONDS.toNanos(100));
    long started = System.nanoTime();
    while (r.state() == ReplicaState.STARTING) {
      if (!r.alive()) {
        failed(r, "exited with code " + r.process().exitValue() + " before it was ready");
        return;
      }
      if (r.probe(ctx.http(), plan.probe().path())) {
        if (runHooks(r, spec().onStartup(), "on_startup")) {
          synchronized (r) {
            if (r.state() != ReplicaState.STARTING) break; // drained while starting
            r.state(ReplicaState.READY);
          }
          lock.lock();
          try {
            consecutiveFailures = 0;
            lastError = null;
          } finally {
            lock.unlock();
          }
          record(r);
          event("replica", r.id() + " ready after " + (System.currentTimeMillis() - r.createdMillis()) + " ms");
          signal();
        } else {
          r.stop(ctx.settings().drainGrace());
          failed(r, "on_startup hook failed");
          return;
        }
        break;
      }
      long periods = (System.nanoTime() - started) / period;
      if (periods >= plan.probe().failureThreshold()) {
        r.stop(ctx.settings().drainGrace());
        failed(r, "failed its startup probe for " + periods + " periods of " + plan.probe().period().toMillis() + " ms");
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(poll);
    }
    try {
      r.process().waitFor();
    } catch (InterruptedException e) {
      return;
    }
    if (r.state().active()) failed(r, "exited with code " + r.process().exitValue());
  }

  private void failed(Replica r, String why) {
    synchronized (r) {
      if (!r.state().active()) return;
      r.state(ReplicaState.FAILED);
    }
    long wait = backoff();
    lastError = "replica " + r.id() + " " + why;
    record(r);
    event("failure", "replica " + r.id() + " " + why + "; next start in " + wait + " ms (log: " + r.log() + ")");
    signal();
  }

  /** Exponential backoff between failed starts: 1 s, 2 s, 4 s, ... at most 60 s. */
  private long backoff() {
    lock.lock();
    try {
      consecutiveFailures++;
      long wait = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(16, consecutiveFailures - 1));
      nextStartMillis = System.currentTimeMillis() + wait;
      return wait;
    } finally {
      lock.unlock();
    }
  }

  /** No new requests; stop once the in-flight ones finish (streams are never cut) or request_timeout passes. */
  private void drain(Replica r) {
    boolean wasReady;
    synchronized (r) {
      if (!r.state().active()) return;
      wasReady = r.state() == ReplicaState.READY;
      r.state(ReplicaState.DRAINING);
    }
    record(r);
    event("replica", r.id() + " draining (" + r.outstanding() + " in flight)");
    Thread.ofVirtual().start(() -> {
      long deadline = System.nanoTime() + spec().requestTimeout().toNanos();
      while (r.outstanding() > 0 && System.nanoTime() < deadline && r.alive())
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      if (wasReady) runHooks(r, spec().onShutdown(), "on_shutdown");
      r.stop(ctx.settings().drainGrace());
      synchronized (r) {
        r.state(ReplicaState.STOPPED);
      }
      record(r);
      event("replica", r.id() + " stopped");
      signal();
    });
  }

  private boolean runHooks(Replica r, List<AppHook> hooks, String which) {
    for (AppHook h : hooks) {
      try {
        h.run(spec().name(), r.url());
      } catch (Exception e) {
        event("error", which + " hook failed on " + r.id() + ": " + e);
        return false;
      }
    }
    return true;
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void record(Replica r) {
    ctx.store().saveReplica(new StateStore.ReplicaRow(r.id(), spec().name(), revision, r.port(), r.pid(), r.state().name(), r.log().toString()));
  }

  private void event(String kind, String message) {
    ctx.store().event(spec().name(), kind, message);
  }

  /** Drains every replica (in-flight requests finish) and stops the loop; returns when all are gone. */
  @Override
  public void close() {
    closed = true;
    stopped = true;
    running = false;
    loop.interrupt();
    signal();
    for (Replica r : replicas) if (r.state().active()) drain(r);
    long deadline = System.nanoTime() + spec().requestTimeout().toNanos() + ctx.settings().drainGrace().toNanos();
    while (replicas.stream().anyMatch(r -> r.state() != ReplicaState.STOPPED && r.state() != ReplicaState.FAILED)
        && System.nanoTime() < deadline)
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
  }
}
