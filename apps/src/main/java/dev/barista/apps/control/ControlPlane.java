package dev.barista.apps.control;

import dev.barista.apps.runtime.ApiKeys;
import dev.barista.apps.runtime.LocalRuntime;
import java.util.concurrent.CountDownLatch;

/**
 * The control-plane process: a {@link LocalRuntime} with the admin API, announced in
 * controlplane.json so that {@code barista deploy} and {@code barista apps} can find it.
 */
public final class ControlPlane implements AutoCloseable {
  private final LocalRuntime runtime;
  private final LocalRuntime.Options options;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ControlPlane(LocalRuntime.Options options) throws Exception {
    this.options = options;
    String token = ApiKeys.newKey();
    this.runtime = LocalRuntime.start(options, rt -> new AdminEndpoints(rt, token, this::close));
    new ControlPlaneFile("http://" + options.host() + ":" + runtime.port(), token, ProcessHandle.current().pid())
        .write(options.dirs().config());
  }

  public static ControlPlane start(LocalRuntime.Options options) throws Exception {
    return new ControlPlane(options);
  }

  public LocalRuntime runtime() {
    return runtime;
  }

  /** Blocks until an admin shutdown or {@link #close()}. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) return;
    ControlPlaneFile.delete(options.dirs().config(), ProcessHandle.current().pid());
    runtime.close();
    stopped.countDown();
  }
}
