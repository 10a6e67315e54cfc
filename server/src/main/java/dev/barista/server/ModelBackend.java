package dev.barista.server;

import dev.barista.engine.api.AsyncLLM;
import dev.barista.engine.api.SamplingParams;
import java.util.List;
import java.util.Map;

/**
 * What the server needs from a loaded model: the async engine, its tokenizer and chat template,
 * and the sampling defaults from generation_config.json. One implementation wraps the real engine;
 * keeping the HTTP layer on this seam lets run-batch reuse it without a socket.
 */
public interface ModelBackend extends AutoCloseable {

  AsyncLLM engine();

  /** Longest prompt plus output accepted. */
  int maxModelLen();

  int vocabSize();

  /** False for a model folder with weights but no tokenizer: only token-id prompts work. */
  boolean hasTokenizer();

  List<Integer> encode(String text, boolean addSpecialTokens);

  String decode(List<Integer> tokenIds, boolean skipSpecialTokens);

  /**
   * Renders a conversation with the model's chat template (or {@code templateOverride} when given).
   *
   * @throws dev.barista.server.api.ApiException 400 when the template rejects the conversation
   */
  String renderChat(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
      boolean addGenerationPrompt, boolean continueFinalMessage, Map<String, Object> kwargs,
      String templateOverride);

  /** The ids that end generation (config.json's and generation_config.json's eos_token_id). */
  java.util.Set<Integer> eosTokenIds();

  /** A sequence classifier's class names, by class index (id2label, else LABEL_i). */
  List<String> classLabels();

  /** A sequence classifier's score head [num_labels, hidden]; null for other models. */
  dev.barista.engine.weights.Tensor classifierHead();

  /** Submits a pooling request: the final-normed hidden state of the prompt's last position. */
  dev.barista.engine.core.AsyncEngine.Pooling pool(String requestId, List<Integer> promptTokenIds);

  /** Defaults that request fields override (generation_config.json under --generation-config auto). */
  SamplingParams defaultSamplingParams();

  /** Engine gauges for /metrics (running, waiting, KV usage...), keyed by vLLM's metric name. */
  Map<String, Double> engineGauges();

  @Override
  void close();
}
