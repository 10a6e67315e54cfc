package dev.barista.apps.runtime;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Least-outstanding-requests choice among ready replicas; ties rotate so equal replicas share load. */
public final class Router {
  /** What the router needs to know about a replica. */
  public interface Candidate {
    String id();

    boolean routable();

    int outstanding();
  }

  private final AtomicLong turn = new AtomicLong();

  /** The routable candidate with the fewest outstanding requests, skipping {@code exclude}; null if none. */
  public <T extends Candidate> T pick(Collection<T> replicas, Set<String> exclude) {
    T best = null;
    int bestLoad = Integer.MAX_VALUE;
    int ties = 0;
    long t = turn.getAndIncrement();
    for (T r : replicas) {
      if (!r.routable() || exclude.contains(r.id())) continue;
      int load = r.outstanding();
      if (load < bestLoad) {
        best = r;
        bestLoad = load;
        ties = 1;
      } else if (load == bestLoad && Math.floorMod(t, ++ties) == 0) {
        best = r; // rotate among equally loaded replicas
      }
    }
    return best;
  }
}
