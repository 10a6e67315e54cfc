package dev.barista.apps.runtime;

/** Life of one replica process. */
public enum ReplicaState {
  /** Process started; the startup probe has not passed yet. */
  STARTING,
  /** Probe passed: receives requests. */
  READY,
  /** Being scaled down: no new requests, stops when its last request ends. */
  DRAINING,
  STOPPED,
  /** Exited on its own or failed its startup probe. */
  FAILED;

  public boolean active() {
    return this == STARTING || this == READY;
  }
}
