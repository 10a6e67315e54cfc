package dev.barista.engine.core;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.config.GenerationConfig;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.RunnerOptions;
import dev.barista.engine.model.ModelLocation;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds a running engine from {@link EngineArgs}: backend, KV cache, scheduler, tokenizer. */
public final class Engines {
  private Engines() {}

  /** A started engine; close it to stop its threads and free the model. */
  public static AsyncEngine start(EngineArgs args) {
    Path model = ModelLocation.resolve(args); // a folder, hub repo id, s3:// or file://
    GenerationConfig generation = GenerationDefaults.load(args.generationConfig(), model);
    ModelConfig peek = ModelConfig.load(model);
    int maxModelLen = maxModelLen(args, peek);
    RunnerOptions options = new RunnerOptions(model, args.loadFormat(), args.dtype(),
        args.seed(), maxModelLen, args.maxNumBatchedTokens(), args.maxNumSeqs());
    TextCodec codec = TextCodecs.forModel(ModelLocation.resolveTokenizer(args, model));
    ModelRunner runner = ModelRunners.create(args.device(), options);
    try {
      int numBlocks = KvCacheSizing.numBlocks(runner.kvCacheBytesPerBlock(args.blockSize()),
          args.blockSize(), maxModelLen, args.maxNumSeqs(), args.kvCacheMemory(),
          args.gpuMemoryUtilization(), runner.kvCacheMemoryBudget(args.gpuMemoryUtilization()),
          KvCacheSizing.availableCpuMemory());
      runner.allocateKvCache(numBlocks, args.blockSize());
      Scheduler scheduler = new Scheduler(
          new SchedulerConfig(args.maxNumBatchedTokens(), args.maxNumSeqs(), maxModelLen,
              SchedulingPolicy.parse(args.schedulingPolicy())),
          new KvCacheManager(new BlockPool(numBlocks, args.enablePrefixCaching()), args.blockSize()));
      Set<Integer> eos = new LinkedHashSet<>(runner.config().eosTokenIds());
      eos.addAll(GenerationConfig.load(model).eosTokenIds());
      EngineCore core = new EngineCore(runner, scheduler, eos,
          new DefaultSamplingStates(runner.config().vocabSize()), args.seed());
      return new AsyncEngine(core, codec, generation);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  static int maxModelLen(EngineArgs args, ModelConfig config) {
    int derived = config.derivedMaxModelLen();
    if (args.maxModelLen() == null) return derived;
    if (args.maxModelLen() > derived) {
      throw new InvalidParameterException("max_model_len", "max_model_len " + args.maxModelLen()
          + " is greater than the model's " + (derived == config.maxPositionEmbeddings()
              ? "max_position_embeddings " : "context with its rope scaling ") + derived);
    }
    return args.maxModelLen();
  }
}
