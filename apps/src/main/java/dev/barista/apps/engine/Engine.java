package dev.barista.apps.engine;

import java.util.List;

/** The serving engines an app can run, with the flags each one's command line uses. */
public enum Engine {
  VLLM(List.of("vllm", "serve"), null, List.of("--model"),
      List.of("--tensor-parallel-size", "-tp", "--tp"), List.of("--load-format", "runai_streamer")),
  SGLANG(List.of("python", "-m", "sglang.launch_server"), "--model-path", List.of("--model-path", "--model"),
      List.of("--tp-size", "--tp", "--tensor-parallel-size"), null),
  /** Barista streams an s3:// model's weights with vLLM's flag (a local folder is mapped either way). */
  BARISTA(List.of("barista", "serve"), null, List.of("--model"),
      List.of("--tensor-parallel-size", "-tp", "--tp"), List.of("--load-format", "runai_streamer"));

  private final List<String> prefix;
  private final String modelFlag;
  private final List<String> modelFlags;
  private final List<String> tpFlags;
  private final List<String> streamFlags;

  Engine(List<String> prefix, String modelFlag, List<String> modelFlags, List<String> tpFlags, List<String> streamFlags) {
    this.prefix = prefix;
    this.modelFlag = modelFlag;
    this.modelFlags = modelFlags;
    this.tpFlags = tpFlags;
    this.streamFlags = streamFlags;
  }

  /** The program and its leading words, e.g. {@code vllm serve}. */
  public List<String> prefix() {
    return prefix;
  }

  /** Where MODEL stands in the command line. */
  int modelIndex() {
    return prefix.size() + (modelFlag == null ? 0 : 1);
  }

  /** The flag before MODEL, or null when MODEL is positional. */
  String modelFlag() {
    return modelFlag;
  }

  /** Flags that also name the model (so extra_args must not repeat them). */
  List<String> modelFlags() {
    return modelFlags;
  }

  List<String> tensorParallelFlags() {
    return tpFlags;
  }

  /** Flags that turn on streaming weights; null when the engine cannot. */
  List<String> streamFlags() {
    return streamFlags;
  }

  public String displayName() {
    return switch (this) {
      case VLLM -> "vLLM";
      case SGLANG -> "SGLang";
      case BARISTA -> "Barista";
    };
  }
}
