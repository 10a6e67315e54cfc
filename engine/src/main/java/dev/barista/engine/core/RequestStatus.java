package dev.barista.engine.core;

/** Where a request is in the scheduler. */
public enum RequestStatus {
  WAITING,
  RUNNING,
  /** Evicted by recompute: its blocks were freed and it waits to start over. */
  PREEMPTED,
  FINISHED;
}
