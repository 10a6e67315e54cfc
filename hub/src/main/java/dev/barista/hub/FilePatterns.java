package dev.barista.hub;

import java.util.List;
import java.util.regex.Pattern;

/** fnmatch-style patterns ("*.json", "tokenizer*"), where '*' also crosses '/', as the hub's allow_patterns. */
public final class FilePatterns {
  /** What a model needs to load and tokenize: configs, safetensors weights, tokenizer files, templates. */
  public static final List<String> MODEL_FILES =
      List.of("*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "*.tiktoken");

  /** What a tokenizer needs: its files, special tokens and chat templates, no weights. */
  public static final List<String> TOKENIZER_FILES = List.of("tokenizer*", "special_tokens_map.json",
      "added_tokens.json", "vocab*", "merges.txt", "*.model", "*.tiktoken", "*.jinja", "chat_template*");

  /**
   * {@code patterns}, plus PyTorch checkpoints (pytorch_model*.bin) where they ask for safetensors
   * and the repository has none, as vLLM falls back to .bin weights.
   */
  public static List<String> withTorchFallback(List<String> patterns, List<String> repoPaths) {
    if (!patterns.contains("*.safetensors") || repoPaths.stream().anyMatch(p -> p.endsWith(".safetensors"))) {
      return patterns;
    }
    List<String> out = new java.util.ArrayList<>(patterns);
    out.add("pytorch_model*.bin");
    return List.copyOf(out);
  }

  private final List<Pattern> patterns;

  public FilePatterns(List<String> globs) {
    this.patterns = globs.stream().map(FilePatterns::toRegex).toList();
  }

  public boolean matches(String path) {
    return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(path).matches());
  }

  private static Pattern toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
