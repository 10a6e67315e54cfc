package dev.barista.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The first key each kind of span lets a query see, against hand-derived positions. */
class AttentionSpanTest {
  @Test
  void aChunkStartsAtTheMultipleOfItsSizeAtOrBelowTheQuery() {
    AttentionSpan chunks = AttentionSpan.chunked(8);
    int[] positions = {0, 1, 7, 8, 9, 15, 16, 23, 24, 100};
    int[] first = {0, 0, 0, 8, 8, 8, 16, 16, 24, 96};
    for (int i = 0; i < positions.length; i++) {
      assertEquals(first[i], chunks.firstVisible(positions[i]), "position " + positions[i]);
    }
  }

  @Test
  void unlikeAWindowTheFirstQueryOfAChunkSeesOnlyItself() {
    // position 8 opens the second chunk: it sees position 8 alone, where a window of 8 sees 1..8
    assertEquals(8, AttentionSpan.chunked(8).firstVisible(8));
    assertEquals(1, AttentionSpan.sliding(8).firstVisible(8));
    // the last query of a chunk sees as much as the window: 8..15 both
    assertEquals(8, AttentionSpan.chunked(8).firstVisible(15));
    assertEquals(8, AttentionSpan.sliding(8).firstVisible(15));
  }

  @Test
  void aWindowSeesItsLastPositionsAndFullAttentionAll() {
    assertEquals(0, AttentionSpan.sliding(4).firstVisible(2));
    assertEquals(6, AttentionSpan.sliding(4).firstVisible(9));
    assertEquals(0, AttentionSpan.FULL.firstVisible(1000));
  }

  @Test
  void aSpanOfNoTokensIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AttentionSpan.chunked(0));
    assertThrows(IllegalArgumentException.class, () -> AttentionSpan.sliding(-1));
  }
}
