package dev.barista.engine.api;

/** How outputs of a request are streamed, as vLLM's RequestOutputKind. */
public enum RequestOutputKind {
  /** Every output carries everything generated so far. */
  CUMULATIVE,
  /** Every output carries only what is new since the previous one. */
  DELTA,
  /** Only the final output is delivered. */
  FINAL_ONLY
}
