package dev.barista.apps.runtime;

import java.util.List;

/** A snapshot of one app for {@code barista apps status} and list. */
public record AppStatus(
    String name,
    String kind,
    int revision,
    String desired,
    int minReplicas,
    int maxReplicas,
    int desiredReplicas,
    int inFlight,
    int queued,
    String lastError,
    List<ReplicaInfo> replicas) {

  /** One replica in the snapshot. */
  public record ReplicaInfo(String id, String state, int port, long pid, int outstanding) {}

  public long ready() {
    return replicas.stream().filter(r -> r.state().equals(ReplicaState.READY.name())).count();
  }
}
