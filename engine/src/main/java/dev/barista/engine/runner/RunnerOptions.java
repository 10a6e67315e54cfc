package dev.barista.engine.runner;

import java.nio.file.Path;

/**
 * What a backend needs to build a {@link ModelRunner}.
 *
 * @param modelDir the Hugging Face model folder
 * @param loadFormat "auto" (read the safetensors) or "dummy" (random weights from config.json)
 * @param dtype "auto" (the config's torch_dtype), "float32", "bfloat16" or "float16"
 * @param seed seed of dummy weights and of the default sampling RNG
 * @param maxModelLen longest sequence (prompt plus output) the runner must handle
 * @param maxNumBatchedTokens most tokens of one step
 * @param maxNumSeqs most sequences of one step
 */
public record RunnerOptions(
    Path modelDir,
    String loadFormat,
    String dtype,
    long seed,
    int maxModelLen,
    int maxNumBatchedTokens,
    int maxNumSeqs) {}
