package dev.barista.server;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.core.CpuRunnerProvider;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.ModelRunnerProvider;
import dev.barista.engine.runner.RunnerOptions;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Test device "scripted" (chosen by --device auto on the test class path): the real CPU runner, except that while {@link #script} is set every
 * sampled token is replaced by the script's next token (then EOS). A model with random weights
 * cannot be steered into a whole tool call; this forces one end to end through the real engine,
 * scheduler, detokenizer and server.
 */
public final class ScriptedRunnerProvider implements ModelRunnerProvider {
  static volatile int[] script;

  @Override
  public String device() {
    return "scripted";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public String unavailableReason() {
    return "";
  }

  @Override
  public int autoPriority() {
    // EngineArgs admits only auto|cpu|cuda: --device auto picks this one in the server's tests
    // (TestServer asks for "cpu" explicitly everywhere else).
    return Integer.MAX_VALUE;
  }

  @Override
  public ModelRunner create(RunnerOptions options) {
    return new Scripted(new CpuRunnerProvider().create(options));
  }

  private record Scripted(ModelRunner real) implements ModelRunner {
    @Override
    public ModelConfig config() {
      return real.config();
    }

    @Override
    public long kvCacheBytesPerBlock(int blockSize) {
      return real.kvCacheBytesPerBlock(blockSize);
    }

    @Override
    public void allocateKvCache(int numBlocks, int blockSize) {
      real.allocateKvCache(numBlocks, blockSize);
    }

    @Override
    public StepResult execute(ForwardBatch batch) {
      StepResult result = real.execute(batch);
      int[] s = script;
      if (s == null) return result;
      List<StepResult.SliceResult> out = new ArrayList<>();
      for (int i = 0; i < batch.slices().size(); i++) {
        StepResult.SliceResult r = result.slices().get(i);
        SequenceSlice slice = batch.slices().get(i);
        if (r.sampledToken() < 0) {
          out.add(r);
          continue;
        }
        int produced = slice.sampling().outputLength();
        int token = produced < s.length ? s[produced] : config().eosTokenIds().getFirst();
        out.add(new StepResult.SliceResult(token, null, r.promptLogprobs()));
      }
      return new StepResult(out);
    }

    @Override
    public void copyBlock(int src, int dst) {
      real.copyBlock(src, dst);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
