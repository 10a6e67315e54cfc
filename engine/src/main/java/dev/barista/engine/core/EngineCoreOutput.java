package dev.barista.engine.core;

import dev.barista.engine.sampling.TokenLogprobs;
import java.util.List;

/**
 * What one step produced for one sequence: new tokens, their logprobs, and whether it finished.
 *
 * @param parentId the user's request id (a request with n > 1 has n sequences)
 * @param promptLogprobs prompt logprobs computed this step (possibly for a chunk), else empty
 * @param numCachedTokens prompt tokens served from the prefix cache
 */
public record EngineCoreOutput(
    String parentId,
    int completionIndex,
    int[] newTokenIds,
    List<TokenLogprobs> newLogprobs,
    List<TokenLogprobs> promptLogprobs,
    FinishReason finishReason,
    Object stopReason,
    int numCachedTokens) {

  public boolean finished() {
    return finishReason != null;
  }
}
