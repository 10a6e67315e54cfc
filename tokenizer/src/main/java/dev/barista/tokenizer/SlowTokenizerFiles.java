package dev.barista.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level BPE tokenizer given as the "slow" files vocab.json and merges.txt (GPT-2, OPT,
 * RoBERTa-style repositories without tokenizer.json), turned into the tokenizer.json that
 * transformers' converter (GPT2TokenizerFast from those files) builds: a ByteLevel pre-tokenizer
 * (add_prefix_space from tokenizer_config.json, default false), the BPE model, a ByteLevel decoder,
 * the BOS token prepended where add_bos_token says so (OPT), and the special tokens of
 * tokenizer_config.json missing from the vocabulary added after it.
 */
final class SlowTokenizerFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlowTokenizerFiles() {}

  static boolean presentIn(Path dir) {
    return Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"));
  }

  /** The tokenizer.json equivalent of {@code dir}'s vocab.json, merges.txt and tokenizer_config.json. */
  static JsonNode tokenizerJson(Path dir) {
    try {
      JsonNode vocabNode = JSON.readTree(dir.resolve("vocab.json").toFile());
      if (vocabNode == null || !vocabNode.isObject()) throw new TokenizerException(dir.resolve("vocab.json") + ": not a JSON object");
      Path cfgPath = dir.resolve("tokenizer_config.json");
      JsonNode cfg = Files.isRegularFile(cfgPath) ? JSON.readTree(cfgPath.toFile()) : JSON.createObjectNode();
      ObjectNode root = JSON.createObjectNode();
      root.put("version", "1.0");
      Map<String, Integer> vocab = new LinkedHashMap<>();
      vocabNode.properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
      Map<String, Integer> added = addedTokens(cfg, vocab);
      ArrayNode addedJson = root.putArray("added_tokens");
      for (Map.Entry<String, Integer> e : added.entrySet()) {
        ObjectNode n = addedJson.addObject();
        n.put("id", e.getValue());
        n.put("content", e.getKey());
        n.put("single_word", false);
        n.put("lstrip", false);
        n.put("rstrip", false);
        n.put("normalized", false);
        n.put("special", true);
      }
      root.putNull("normalizer");
      root.set("pre_tokenizer", byteLevel(cfg.path("add_prefix_space").asBoolean(false), true));
      root.set("post_processor", postProcessor(cfg, added));
      root.set("decoder", byteLevel(true, true));
      ObjectNode model = root.putObject("model");
      model.put("type", "BPE");
      model.putNull("dropout");
      model.putNull("unk_token");
      model.put("continuing_subword_prefix", "");
      model.put("end_of_word_suffix", "");
      model.put("fuse_unk", false);
      model.put("byte_fallback", false);
      model.set("vocab", vocabNode);
      ArrayNode merges = model.putArray("merges");
      for (String line : Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8)) {
        if (line.startsWith("#version") || line.isBlank()) continue;
        merges.add(line);
      }
      return root;
    } catch (IOException e) {
      throw new TokenizerException(dir + ": cannot read vocab.json / merges.txt: " + e.getMessage(), e);
    }
  }

  private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", addPrefixSpace);
    n.put("trim_offsets", trimOffsets);
    n.put("use_regex", true);
    return n;
  }

  /** A special token's text: a string, or an AddedToken object's content. */
  private static String tokenText(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    return n.isTextual() ? n.asText() : n.path("content").asText(null);
  }

  /**
   * tokenizer_config's added_tokens_decoder, then its unk/bos/eos/pad tokens (GPT-2's default
   * &lt;|endoftext|&gt;) where the vocabulary lacks them, numbered after it as transformers numbers them.
   */
  private static Map<String, Integer> addedTokens(JsonNode cfg, Map<String, Integer> vocab) {
    Map<String, Integer> added = new LinkedHashMap<>();
    cfg.path("added_tokens_decoder").properties().forEach(e -> {
      String content = e.getValue().path("content").asText(null);
      if (content != null) added.put(content, Integer.parseInt(e.getKey()));
    });
    int next = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    for (int id : added.values()) next = Math.max(next, id + 1);
    List<String> specials = new ArrayList<>();
    for (String key : List.of("unk_token", "bos_token", "eos_token", "pad_token")) {
      String t = tokenText(cfg.get(key));
      if (t == null && !key.equals("pad_token")) t = "<|endoftext|>"; // GPT2Tokenizer's default
      if (t != null && !specials.contains(t)) specials.add(t);
    }
    for (String t : specials) {
      if (added.containsKey(t)) continue;
      added.put(t, vocab.containsKey(t) ? vocab.get(t) : next++);
    }
    return added;
  }

  /** The BOS token before each sequence where add_bos_token (OPT), else the sequences alone. */
  private static ObjectNode postProcessor(JsonNode cfg, Map<String, Integer> specialIds) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "TemplateProcessing");
    String bos = tokenText(cfg.get("bos_token"));
    if (bos == null) bos = "<|endoftext|>";
    boolean addBos = cfg.path("add_bos_token").asBoolean(false);
    ArrayNode single = p.putArray("single");
    ArrayNode pair = p.putArray("pair");
    if (addBos) {
      single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
      pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
    }
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    if (addBos) pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode specials = p.putObject("special_tokens");
    if (addBos) {
      ObjectNode s = specials.putObject(bos);
      s.put("id", bos);
      s.putArray("ids").add(specialIds.get(bos));
      s.putArray("tokens").add(bos);
    }
    return p;
  }
}
