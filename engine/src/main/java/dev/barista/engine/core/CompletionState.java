package dev.barista.engine.core;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.List;

/**
 * One completion as the output processor sees it: its tokens and text so far, stop-string search,
 * and how much of it has already been streamed.
 */
final class CompletionState {
  final int index;
  final List<Integer> tokenIds = new ArrayList<>();
  final List<TokenLogprobs> logprobs;
  final StringBuilder text = new StringBuilder();
  private final TextCodec.Incremental decoder;
  private final SamplingParams params;
  private final int maxStopLength;
  double cumulativeLogprob;
  FinishReason finishReason;
  Object stopReason;
  /** Whether the engine still has to be told to stop it (a stop string was found here). */
  boolean stoppedByText;
  int sentTokens;
  int sentText;
  int sentLogprobs;
  boolean sentFinish;

  CompletionState(int index, SamplingParams params, TextCodec.Incremental decoder) {
    this.index = index;
    this.params = params;
    this.decoder = decoder;
    this.logprobs = params.logprobs() != null ? new ArrayList<>() : null;
    int longest = 0;
    for (String s : params.stop()) longest = Math.max(longest, s.length());
    this.maxStopLength = longest;
  }

  boolean finished() {
    return finishReason != null;
  }

  /**
   * Takes one generated token (with its logprobs, if asked) and searches for stop strings. The
   * EOS or stop token that ended a completion keeps its id but adds no text, unless
   * include_stop_str_in_output asks for it (as vLLM does).
   */
  void append(int tokenId, TokenLogprobs lp, boolean endedByThisToken) {
    tokenIds.add(tokenId);
    if (logprobs != null && lp != null) {
      logprobs.add(lp);
      cumulativeLogprob += lp.logprob();
    }
    if (decoder == null || (endedByThisToken && !params.includeStopStrInOutput())) return;
    int before = text.length();
    text.append(decoder.add(tokenId));
    if (!params.stop().isEmpty() && tokenIds.size() > params.minTokens()) findStop(before);
  }

  /** Looks for a stop string that overlaps the text added at {@code before}; truncates at it. */
  private void findStop(int before) {
    int from = Math.max(0, before - maxStopLength + 1);
    int best = -1;
    String which = null;
    for (String stop : params.stop()) {
      int at = text.indexOf(stop, from);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        which = stop;
      }
    }
    if (which == null) return;
    text.setLength(params.includeStopStrInOutput() ? best + which.length() : best);
    finishReason = FinishReason.STOP;
    stopReason = which;
    stoppedByText = true;
  }

  /** Ends the completion as the engine decided (EOS, stop token, length or abort). */
  void finish(FinishReason reason, Object stop) {
    if (finishReason != null) return;
    if (decoder != null) text.append(decoder.flush());
    finishReason = reason;
    stopReason = stop;
  }

  /**
   * Text that may be shown now: while running, the last characters that could still become the
   * start of a stop string are held back (unless stop strings are to be included anyway).
   */
  int visibleTextLength() {
    if (finished() || maxStopLength == 0 || params.includeStopStrInOutput()) return text.length();
    return Math.max(sentText, text.length() - (maxStopLength - 1));
  }
}
