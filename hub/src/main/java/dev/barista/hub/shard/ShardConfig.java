package dev.barista.hub.shard;

/** How to split a model for tensor parallelism: "tp=N". */
public record ShardConfig(int tensorParallelSize) {

  public ShardConfig {
    if (tensorParallelSize < 1) throw new IllegalArgumentException("tensor parallel size must be >= 1, got " + tensorParallelSize);
  }

  public static ShardConfig parse(String spec) {
    String s = spec.strip();
    if (!s.startsWith("tp=")) throw new IllegalArgumentException("--shard expects tp=N, got '" + spec + "'");
    try {
      return new ShardConfig(Integer.parseInt(s.substring(3)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--shard expects tp=N with N a whole number, got '" + spec + "'");
    }
  }
}
