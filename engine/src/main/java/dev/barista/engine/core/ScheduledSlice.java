package dev.barista.engine.core;

/**
 * A request's share of one step: tokens {@code [startPosition, startPosition + numTokens)}.
 *
 * @param sample whether the slice reaches the last known token, so the step samples a new one
 * @param promptLogprobs whether the runner reports prompt logprobs for these positions
 */
public record ScheduledSlice(
    EngineRequest request, int startPosition, int numTokens, boolean sample,
    boolean promptLogprobs) {}
