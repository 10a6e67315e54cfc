package dev.barista.engine.testing;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one sequence through a runner the way a scheduler would: prefill chunks, then decode
 * steps, with blocks handed out from a shared counter (so sequences interleave in the pool).
 */
public final class SequenceDriver {
  private final SequenceSamplingState state;
  private final int blockSize;
  private final BlockCounter blocks;
  private final List<Integer> table = new ArrayList<>();
  private int computed;
  private int pending = -1;

  /** Hands out block ids 0, 1, 2, ... across all drivers sharing it. */
  public static final class BlockCounter {
    private int next;

    public int next() {
      return next++;
    }
  }

  public SequenceDriver(SequenceSamplingState state, int blockSize, BlockCounter blocks) {
    this.state = state;
    this.blockSize = blockSize;
    this.blocks = blocks;
  }

  public SequenceSamplingState state() {
    return state;
  }

  /** Tokens not yet computed: the rest of the prompt, or the last sampled token. */
  public int remainingPrompt() {
    return Math.max(0, state.promptLength() - computed);
  }

  /** The next slice: up to {@code maxTokens} prompt tokens, or the pending decode token. */
  public SequenceSlice nextSlice(int maxTokens, boolean promptLogprobs) {
    int[] ids;
    boolean sample;
    if (computed < state.promptLength()) {
      int n = Math.min(maxTokens, state.promptLength() - computed);
      ids = new int[n];
      for (int i = 0; i < n; i++) ids[i] = state.promptToken(computed + i);
      sample = computed + n == state.promptLength();
    } else {
      ids = new int[] {pending};
      sample = true;
    }
    int end = computed + ids.length;
    while (table.size() * blockSize < end) table.add(blocks.next());
    int[] bt = table.stream().mapToInt(Integer::intValue).toArray();
    return new SequenceSlice(state, ids, computed, bt, sample, promptLogprobs);
  }

  /** Records the result of the slice last returned by {@link #nextSlice}. */
  public void accept(SequenceSlice slice, StepResult.SliceResult result) {
    computed += slice.tokenIds().length;
    if (slice.sample()) {
      state.appendOutput(result.sampledToken());
      pending = result.sampledToken();
    }
  }

  /** Runs this sequence alone for one step. */
  public StepResult.SliceResult step(ModelRunner runner, int maxTokens, boolean promptLogprobs) {
    SequenceSlice s = nextSlice(maxTokens, promptLogprobs);
    StepResult.SliceResult r = runner.execute(new ForwardBatch(List.of(s))).slices().get(0);
    accept(s, r);
    return r;
  }

  /** Prefills in one chunk, then decodes until {@code outputs} tokens were sampled. */
  public int[] generate(ModelRunner runner, int outputs) {
    while (state.outputLength() < outputs) step(runner, Integer.MAX_VALUE, false);
    return state.outputTokenIds();
  }

  public static SamplingParams greedy() {
    return SamplingParams.builder().temperature(0).maxTokens(null).build();
  }

  /** A full-vocabulary distribution from a TokenLogprobs with k = -1, indexed by token id. */
  public static double[] fullDistribution(TokenLogprobs lp, int vocab) {
    double[] out = new double[vocab];
    java.util.Arrays.fill(out, Double.NaN);
    for (int i = 0; i < lp.topTokenIds().length; i++) out[lp.topTokenIds()[i]] = lp.topLogprobs()[i];
    return out;
  }
}
