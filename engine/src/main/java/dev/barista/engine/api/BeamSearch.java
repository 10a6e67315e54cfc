package dev.barista.engine.api;

import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Beam search over the engine, as vLLM's LLM.beam_search runs it: every step sends each live beam
 * as a one-token request asking for 2 x beam_width logprobs, extends each beam by every candidate,
 * and keeps the beam_width best by score (cumulative logprob / length^length_penalty, the length
 * counting the prompt and not a final end-of-sequence token). Beams that end with one leave the
 * search; after max_tokens steps the best beam_width of all are returned. The prefix cache makes
 * the repeated prompts cheap.
 */
public final class BeamSearch {
  private record Beam(List<Integer> tokens, List<TokenLogprobs> logprobs, double cumLogprob, boolean ended) {}

  private static final AtomicLong SEARCHES = new AtomicLong();
  private final AsyncLLM engine;
  private final Set<Integer> eos;
  private final Function<List<Integer>, String> decode;
  private final BeamSearchParams params;

  /**
   * @param eos the ids that end a beam (unless the parameters ignore them)
   * @param decode generated ids to text; null for a model without a tokenizer (empty texts)
   */
  public BeamSearch(AsyncLLM engine, Set<Integer> eos, Function<List<Integer>, String> decode,
      BeamSearchParams params) {
    this.engine = engine;
    this.eos = Set.copyOf(eos);
    this.decode = decode;
    this.params = params;
  }

  /** The best beams of each prompt (token ids), best first. */
  public List<BeamSearchOutput> run(List<List<Integer>> prompts) throws InterruptedException {
    int width = params.beamWidth();
    SamplingParams step = SamplingParams.builder().maxTokens(1).logprobs(2 * width)
        .temperature(params.temperature()).ignoreEos(true).detokenize(false)
        .outputKind(RequestOutputKind.FINAL_ONLY).build();
    List<List<Beam>> live = new ArrayList<>();
    List<List<Beam>> done = new ArrayList<>();
    for (List<Integer> prompt : prompts) {
      live.add(new ArrayList<>(List.of(new Beam(prompt, List.of(), 0, false))));
      done.add(new ArrayList<>());
    }
    for (int t = 0; t < params.maxTokens(); t++) {
      List<PromptInput> batch = new ArrayList<>();
      for (int p = 0; p < prompts.size(); p++) {
        // a beam as long as the context allows cannot grow: it ends here
        List<Beam> full = live.get(p).stream().filter(b -> b.tokens().size() >= engine.maxModelLen()).toList();
        done.get(p).addAll(full);
        live.get(p).removeAll(full);
        for (Beam b : live.get(p)) batch.add(PromptInput.tokens(b.tokens()));
      }
      if (batch.isEmpty()) break;
      List<RequestOutput> outputs = generate(batch, step);
      int next = 0;
      for (int p = 0; p < prompts.size(); p++) {
        List<Beam> extended = new ArrayList<>();
        for (Beam b : live.get(p)) {
          TokenLogprobs lp = outputs.get(next++).outputs().getFirst().logprobs().getFirst();
          for (TokenLogprobs candidate : candidates(lp)) {
            Beam e = extend(b, candidate);
            (e.ended() ? done.get(p) : extended).add(e);
          }
        }
        extended.sort(byScore().reversed());
        live.set(p, new ArrayList<>(extended.subList(0, Math.min(width, extended.size()))));
      }
    }
    List<BeamSearchOutput> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      List<Beam> all = new ArrayList<>(done.get(p));
      all.addAll(live.get(p));
      all.sort(byScore().reversed());
      int promptLength = prompts.get(p).size();
      out.add(new BeamSearchOutput(all.subList(0, Math.min(width, all.size())).stream()
          .map(b -> sequence(b, promptLength)).toList()));
    }
    return out;
  }

  /** One step's requests, submitted together (so that they batch), their final outputs in order. */
  private List<RequestOutput> generate(List<PromptInput> batch, SamplingParams step) throws InterruptedException {
    String prefix = "beam-" + SEARCHES.incrementAndGet() + "-";
    List<RequestOutputStream> streams = new ArrayList<>(batch.size());
    try {
      for (int i = 0; i < batch.size(); i++) streams.add(engine.generate(prefix + i, batch.get(i), step, 0));
      List<RequestOutput> outputs = new ArrayList<>(batch.size());
      for (RequestOutputStream s : streams) {
        RequestOutput last = null;
        for (RequestOutput o = s.next(); o != null; o = s.next()) last = o;
        outputs.add(last);
      }
      return outputs;
    } finally {
      for (RequestOutputStream s : streams) s.close(); // aborts whatever did not finish
    }
  }

  /** The step's candidates: its top tokens, and the sampled token where it is not among them. */
  private static List<TokenLogprobs> candidates(TokenLogprobs lp) {
    List<TokenLogprobs> c = new ArrayList<>();
    boolean sampledListed = false;
    for (int i = 0; i < lp.topTokenIds().length; i++) {
      c.add(new TokenLogprobs(lp.topTokenIds()[i], lp.topLogprobs()[i], i + 1, lp.topTokenIds(), lp.topLogprobs()));
      sampledListed |= lp.topTokenIds()[i] == lp.tokenId();
    }
    if (!sampledListed) c.add(lp);
    return c;
  }

  private Beam extend(Beam b, TokenLogprobs candidate) {
    List<Integer> tokens = new ArrayList<>(b.tokens());
    tokens.add(candidate.tokenId());
    List<TokenLogprobs> logprobs = new ArrayList<>(b.logprobs());
    logprobs.add(candidate);
    boolean ended = !params.ignoreEos() && eos.contains(candidate.tokenId());
    return new Beam(tokens, logprobs, b.cumLogprob() + candidate.logprob(), ended);
  }

  private Comparator<Beam> byScore() {
    return Comparator.comparingDouble(this::score);
  }

  /** vLLM's beam score: cumulative logprob over length^length_penalty, a final EOS not counted. */
  private double score(Beam b) {
    int length = b.tokens().size() - (b.ended() ? 1 : 0);
    return b.cumLogprob() / Math.pow(length, params.lengthPenalty());
  }

  private BeamSearchSequence sequence(Beam b, int promptLength) {
    List<Integer> generated = b.tokens().subList(promptLength, b.tokens().size() - (b.ended() ? 1 : 0));
    String text = decode == null ? "" : decode.apply(generated);
    return new BeamSearchSequence(b.tokens(), b.logprobs(), b.cumLogprob(), text, b.ended() ? "stop" : "length");
  }
}
