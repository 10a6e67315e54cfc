package dev.barista.apps.runtime;

/** A request's claim on a replica; closing it ends the request's count against the replica. */
public final class Lease implements AutoCloseable {
  private final AppController controller;
  private final Replica replica;
  private boolean closed;

  Lease(AppController controller, Replica replica) {
    this.controller = controller;
    this.replica = replica;
  }

  public Replica replica() {
    return replica;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    controller.release(replica);
  }
}
