package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.barista.apps.runtime.Router;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  record R(String id, boolean routable, int outstanding) implements Router.Candidate {}

  @Test
  void picksTheReplicaWithFewestOutstandingRequests() {
    List<R> rs = List.of(new R("a", true, 3), new R("b", true, 1), new R("c", true, 2));
    assertEquals("b", new Router().pick(rs, Set.of()).id());
  }

  @Test
  void skipsReplicasNotReadyOrExcluded() {
    List<R> rs = List.of(new R("a", false, 0), new R("b", true, 5), new R("c", true, 1));
    assertEquals("b", new Router().pick(rs, Set.of("c")).id());
  }

  @Test
  void noneWhenNothingIsRoutable() {
    assertNull(new Router().pick(List.of(new R("a", false, 0)), Set.of()));
    assertNull(new Router().pick(List.<R>of(), Set.of()));
  }

  @Test
  void equallyLoadedReplicasShareRequests() {
    Router router = new Router();
    List<R> rs = List.of(new R("a", true, 0), new R("b", true, 0));
    Map<String, Integer> hits = new HashMap<>();
    for (int i = 0; i < 100; i++) hits.merge(router.pick(rs, Set.of()).id(), 1, Integer::sum);
    assertEquals(50, hits.get("a"));
    assertEquals(50, hits.get("b"));
  }
}
