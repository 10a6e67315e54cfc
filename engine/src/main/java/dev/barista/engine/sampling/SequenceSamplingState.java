package dev.barista.engine.sampling;

/**
 * Placeholder: the per-sequence sampling state (params, prompt and output tokens, seeded RNG,
 * penalty counts) that the sampler reads. The engine-core work fills it in.
 */
public class SequenceSamplingState {}
