package dev.barista.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.tokenizer.decoder.Decoder;
import dev.barista.tokenizer.decoder.Decoders;
import dev.barista.tokenizer.model.Model;
import dev.barista.tokenizer.model.Models;
import dev.barista.tokenizer.normalizer.Normalizer;
import dev.barista.tokenizer.normalizer.Normalizers;
import dev.barista.tokenizer.pretokenizer.PreTokenizer;
import dev.barista.tokenizer.pretokenizer.PreTokenizers;
import dev.barista.tokenizer.processor.PostProcessor;
import dev.barista.tokenizer.processor.PostProcessors;
import dev.barista.tokenizer.template.ChatTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;

/**
 * A Hugging Face tokenizer (tokenizer.json plus optional tokenizer_config.json): encode, decode,
 * incremental decode, special tokens and chat templates, with the same results as tokenizers and
 * transformers. Immutable and safe to share between threads.
 */
public final class Tokenizer {
  // Vocabularies have ~150k distinct keys: interning or canonicalizing them only costs time.
  private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES)
      .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build());

  private final Model model;
  private final Normalizer normalizer;
  private final PreTokenizer preTokenizer;
  private final PostProcessor postProcessor;
  private final Decoder decoder;
  private final AddedVocabulary added;
  private final TokenizerConfig config;
  private final Map<String, ChatTemplate> chatTemplates = new java.util.concurrent.ConcurrentHashMap<>();
  private final int vocabSize;
  private final ByteLevelWords byteLevelWords;

  private Tokenizer(JsonNode root, TokenizerConfig config) {
    this(root, dev.barista.tokenizer.model.ModelData.NONE, config);
  }

  private Tokenizer(JsonNode root, dev.barista.tokenizer.model.ModelData data, TokenizerConfig config) {
    if (root == null || !root.isObject()) throw new TokenizerException("tokenizer.json: must be a JSON object");
    this.config = config;
    model = Models.fromJson(root.get("model"), data);
    normalizer = Normalizers.fromJson(root.get("normalizer"), "tokenizer.json normalizer");
    preTokenizer = PreTokenizers.fromJson(root.get("pre_tokenizer"), "tokenizer.json pre_tokenizer");
    decoder = Decoders.fromJson(root.get("decoder"), "tokenizer.json decoder");
    added = new AddedVocabulary(addedTokens(root.get("added_tokens")), normalizer);
    postProcessor = SpecialTokenPolicy.postProcessor(
        PostProcessors.fromJson(root.get("post_processor"), "tokenizer.json post_processor"), config, this);
    vocabSize = Math.max(model.size(), added.maxId() + 1);
    byteLevelWords = ByteLevelWords.of(preTokenizer, model);
  }

  /** Whether {@code dir} holds a tokenizer {@link #fromDirectory} reads (tokenizer.json or tokenizer.json.gz). */
  public static boolean isPresentIn(Path dir) {
    return Files.isRegularFile(dir.resolve("tokenizer.json")) || Files.isRegularFile(dir.resolve("tokenizer.json.gz"))
        || SlowTokenizerFiles.presentIn(dir);
  }

  /**
   * Reads tokenizer.json (or tokenizer.json.gz; or, without either, byte-level BPE's vocab.json and
   * merges.txt) and, when present, tokenizer_config.json and chat_template.jinja.
   */
  public static Tokenizer fromDirectory(Path dir) {
    Path json = dir.resolve("tokenizer.json");
    if (!Files.exists(json) && Files.exists(dir.resolve("tokenizer.json.gz"))) json = dir.resolve("tokenizer.json.gz");
    boolean slow = !Files.exists(json) && SlowTokenizerFiles.presentIn(dir);
    if (!Files.exists(json) && !slow) throw new TokenizerException(dir + ": no tokenizer.json (nor vocab.json and merges.txt)");
    Path cfg = dir.resolve("tokenizer_config.json");
    TokenizerConfig config = Files.exists(cfg) ? TokenizerConfig.fromJson(readJson(cfg), cfg.toString()) : TokenizerConfig.EMPTY;
    config = config.withChatTemplates(ChatTemplateFiles.read(dir, config.chatTemplates()));
    if (slow) return new Tokenizer(SlowTokenizerFiles.tokenizerJson(dir), config);
    TokenizerJsonReader.Parsed parsed = readTokenizerJson(json);
    return new Tokenizer(parsed.root(), parsed.model(), config);
  }

  /** Builds a tokenizer from the JSON text of tokenizer.json and (nullable) tokenizer_config.json. */
  public static Tokenizer fromJson(String tokenizerJson, String tokenizerConfigJson) {
    JsonNode root = parse(tokenizerJson, "tokenizer.json");
    TokenizerConfig config = tokenizerConfigJson == null
        ? TokenizerConfig.EMPTY
        : TokenizerConfig.fromJson(parse(tokenizerConfigJson, "tokenizer_config.json"), "tokenizer_config.json");
    return new Tokenizer(root, config);
  }

  private static JsonNode parse(String text, String where) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TokenizerException(where + ": malformed JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static TokenizerJsonReader.Parsed readTokenizerJson(Path path) {
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return TokenizerJsonReader.read(JSON, in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TokenizerException(path + ": malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerException(path + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readJson(Path path) {
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return JSON.readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TokenizerException(path + ": malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerException(path + ": " + e.getMessage(), e);
    }
  }

  private static List<AddedToken> addedTokens(JsonNode list) {
    List<AddedToken> out = new ArrayList<>();
    if (list == null || list.isNull()) return out;
    if (!list.isArray()) throw new TokenizerException("tokenizer.json added_tokens: must be an array");
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String where = "tokenizer.json added_tokens[" + i + "]";
      if (!t.has("id") || !t.get("id").canConvertToInt()) throw new TokenizerException(where + ": field 'id' must be an integer");
      boolean special = JsonFields.bool(t, "special", false);
      out.add(new AddedToken(t.get("id").asInt(), JsonFields.string(t, "content", where),
          JsonFields.bool(t, "single_word", false), JsonFields.bool(t, "lstrip", false),
          JsonFields.bool(t, "rstrip", false), JsonFields.bool(t, "normalized", !special), special));
    }
    return out;
  }

  /** Encodes text; with addSpecialTokens the post-processor adds BOS/EOS/CLS... as the file says. */
  public int[] encode(String text, boolean addSpecialTokens) {
    Surrogates.check(text);
    IntList ids = new IntList(Math.max(16, text.length() / 3));
    for (AddedVocabulary.Segment raw : added.splitRaw(text, 0)) {
      if (raw.token() != null) {
        ids.add(raw.token().id());
        continue;
      }
      String norm = normalizer == null ? raw.text() : normalizer.normalize(raw.text());
      for (AddedVocabulary.Segment seg : added.splitNormalized(norm, raw.offset())) {
        if (seg.token() != null) {
          ids.add(seg.token().id());
        } else {
          tokenizeWords(new Piece(seg.text(), seg.offset() == 0), ids);
        }
      }
    }
    int[] out = ids.toArray();
    return addSpecialTokens && postProcessor != null ? postProcessor.process(out) : out;
  }

  /** Encodes text and adds the special tokens the tokenizer adds by default. */
  public int[] encode(String text) {
    return encode(text, true);
  }

  private void tokenizeWords(Piece piece, IntList ids) {
    if (piece.text().isEmpty()) return;
    if (byteLevelWords != null) {
      byteLevelWords.tokenize(piece, ids);
      return;
    }
    if (preTokenizer == null) {
      model.tokenize(piece.text(), ids);
      return;
    }
    for (Piece word : preTokenizer.apply(List.of(piece))) model.tokenize(word.text(), ids);
  }

  /** Decodes ids to text; ids outside the vocabulary are skipped, as Hugging Face does. */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    return decodeTokens(tokenStrings(ids, 0, ids.length, skipSpecialTokens));
  }

  List<String> tokenStrings(int[] ids, int from, int to, boolean skipSpecialTokens) {
    List<String> tokens = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      AddedToken a = added.byId(ids[i]);
      if (a != null) {
        if (!(skipSpecialTokens && a.special())) tokens.add(a.content());
        continue;
      }
      String t = model.idToToken(ids[i]);
      if (t != null) tokens.add(t);
    }
    return tokens;
  }

  String decodeTokens(List<String> tokens) {
    return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
  }

  /** A streaming decoder: feed ids one by one, get back only complete characters. */
  public IncrementalDecoder newIncrementalDecoder(boolean skipSpecialTokens) {
    return new IncrementalDecoder(this, skipSpecialTokens);
  }

  /** Number of ids (one more than the largest id of the model or the added tokens). */
  public int vocabSize() {
    return vocabSize;
  }

  /** The token string of an id, or null. */
  public String idToToken(int id) {
    AddedToken a = added.byId(id);
    return a != null ? a.content() : model.idToToken(id);
  }

  /** The id of a token string (added tokens first), or -1. */
  public int tokenToId(String token) {
    AddedToken a = added.byContent(token);
    return a != null ? a.id() : model.tokenToId(token);
  }

  /** True for added tokens marked special (skipped by decode with skipSpecialTokens). */
  public boolean isSpecial(int id) {
    AddedToken a = added.byId(id);
    return a != null && a.special();
  }

  public Optional<String> bosToken() {
    return Optional.ofNullable(config.specialTokens().get("bos_token"));
  }

  public Optional<String> eosToken() {
    return Optional.ofNullable(config.specialTokens().get("eos_token"));
  }

  public OptionalInt bosTokenId() {
    return idOf(config.specialTokens().get("bos_token"));
  }

  public OptionalInt eosTokenId() {
    return idOf(config.specialTokens().get("eos_token"));
  }

  public OptionalInt padTokenId() {
    return idOf(config.specialTokens().get("pad_token"));
  }

  private OptionalInt idOf(String token) {
    if (token == null) return OptionalInt.empty();
    int id = tokenToId(token);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The special token strings of tokenizer_config.json (bos_token, eos_token, ...). */
  public Map<String, String> specialTokens() {
    return Collections.unmodifiableMap(config.specialTokens());
  }

  /** The default chat template ("default", else the only one), if the tokenizer has one. */
  public Optional<ChatTemplate> chatTemplate() {
    Map<String, String> sources = config.chatTemplates();
    if (sources.containsKey("default")) return chatTemplate("default");
    return sources.size() == 1 ? chatTemplate(sources.keySet().iterator().next()) : Optional.empty();
  }

  /**
   * A named chat template (tokenizer_config.json's list form, e.g. "tool_use"). Templates compile on
   * first use, so a template we cannot parse fails chat requests only, not loading.
   */
  public Optional<ChatTemplate> chatTemplate(String name) {
    String source = config.chatTemplates().get(name);
    if (source == null) return Optional.empty();
    return Optional.of(chatTemplates.computeIfAbsent(name, n -> ChatTemplate.compile(source, config.templateVariables())));
  }

  public List<String> chatTemplateNames() {
    return List.copyOf(config.chatTemplates().keySet());
  }

  /**
   * The template transformers would pick: the named one when a name is given, "tool_use" when
   * tools are given and the tokenizer has it, else the default.
   */
  public ChatTemplate selectChatTemplate(String name, boolean hasTools) {
    if (name != null) {
      return chatTemplate(name).orElseThrow(() -> new TokenizerException(
          "chat template '" + name + "' not found; this tokenizer has " + chatTemplateNames()));
    }
    if (hasTools && config.chatTemplates().containsKey("tool_use")) return chatTemplate("tool_use").orElseThrow();
    return chatTemplate().orElseThrow(() -> new TokenizerException(
        "this tokenizer has no chat template (tokenizer_config.json chat_template); pass one explicitly"));
  }

  /** Compiles a user-given template bound to this tokenizer's special tokens. */
  public ChatTemplate compileChatTemplate(String source) {
    return ChatTemplate.compile(source, config.templateVariables());
  }

  /** Renders the chat with the template transformers would pick. */
  public String applyChatTemplate(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
      boolean addGenerationPrompt, Map<String, Object> kwargs) {
    return selectChatTemplate(null, tools != null && !tools.isEmpty()).apply(messages, tools, addGenerationPrompt, kwargs);
  }

  TokenizerConfig config() {
    return config;
  }
}
