package dev.barista.engine.api;

/** vLLM's ScoringRequestOutput, as {@link LLM#score} returns it. */
public record ScoringRequestOutput(String requestId, ScoringOutput outputs) {}
