package dev.barista.engine.api;

/** vLLM's PoolingOutput: the pooled hidden state of a prompt (its last position, after the final norm). */
public record PoolingOutput(float[] data) {}
