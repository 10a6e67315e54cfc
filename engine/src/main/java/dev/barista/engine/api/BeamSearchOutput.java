package dev.barista.engine.api;

import java.util.List;

/** vLLM's BeamSearchOutput: the best beams of one prompt, best first. */
public record BeamSearchOutput(List<BeamSearchSequence> sequences) {
  public BeamSearchOutput {
    sequences = List.copyOf(sequences);
  }
}
