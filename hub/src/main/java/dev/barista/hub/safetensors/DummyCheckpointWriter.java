package dev.barista.hub.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a Llama-shaped checkpoint of random BF16 weights of about the requested size, split over
 * shards with an index, for load-throughput benchmarks (never committed: it is large).
 */
public final class DummyCheckpointWriter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DummyCheckpointWriter() {}

  /** Writes into dir and returns the bytes of tensor data. */
  public static long write(Path dir, long targetBytes, int shards, long seed) throws IOException {
    int hidden = 2048;
    int inter = 5632;
    int vocab = 32000;
    long perLayer = 2L * (4L * hidden * hidden + 3L * hidden * inter + 2L * hidden);
    long fixed = 2L * (2L * vocab * hidden + hidden);
    int layers = (int) Math.max(1, (targetBytes - fixed) / perLayer);
    List<SafetensorsWriter.Spec> all = new ArrayList<>();
    all.add(spec("model.embed_tokens.weight", vocab, hidden));
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      for (String m : List.of("q_proj", "k_proj", "v_proj", "o_proj")) all.add(spec(p + "self_attn." + m + ".weight", hidden, hidden));
      all.add(spec(p + "mlp.gate_proj.weight", inter, hidden));
      all.add(spec(p + "mlp.up_proj.weight", inter, hidden));
      all.add(spec(p + "mlp.down_proj.weight", hidden, inter));
      all.add(new SafetensorsWriter.Spec(p + "input_layernorm.weight", DType.BF16, new long[] {hidden}));
      all.add(new SafetensorsWriter.Spec(p + "post_attention_layernorm.weight", DType.BF16, new long[] {hidden}));
    }
    all.add(new SafetensorsWriter.Spec("model.norm.weight", DType.BF16, new long[] {hidden}));
    all.add(spec("lm_head.weight", vocab, hidden));

    Files.createDirectories(dir);
    long total = all.stream().mapToLong(SafetensorsWriter.Spec::byteSize).sum();
    long perShard = (total + shards - 1) / shards;
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode map = index.putObject("weight_map");
    SplittableRandom random = new SplittableRandom(seed);
    int next = 0;
    for (int s = 1; s <= shards && next < all.size(); s++) {
      List<SafetensorsWriter.Spec> part = new ArrayList<>();
      long bytes = 0;
      while (next < all.size() && (bytes < perShard || s == shards)) {
        bytes += all.get(next).byteSize();
        part.add(all.get(next++));
      }
      String name = String.format("model-%05d-of-%05d.safetensors", s, shards);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(name)), 1 << 20)) {
        SafetensorsWriter.writeHeader(out, part, Map.of("format", "pt"));
        for (SafetensorsWriter.Spec t : part) {
          writeRandom(out, t.byteSize(), random);
          map.put(t.name(), name);
        }
      }
    }
    JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    ObjectNode config = JSON.createObjectNode();
    config.putArray("architectures").add("LlamaForCausalLM");
    config.put("model_type", "llama").put("hidden_size", hidden).put("intermediate_size", inter)
        .put("num_hidden_layers", layers).put("num_attention_heads", 16).put("num_key_value_heads", 16)
        .put("vocab_size", vocab).put("max_position_embeddings", 2048).put("rms_norm_eps", 1e-5)
        .put("tie_word_embeddings", false).put("torch_dtype", "bfloat16");
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
    return total;
  }

  private static SafetensorsWriter.Spec spec(String name, long rows, long cols) {
    return new SafetensorsWriter.Spec(name, DType.BF16, new long[] {rows, cols});
  }

  /** Small random bf16 values: sign, exponent near 2^-7, random mantissa. */
  private static void writeRandom(OutputStream out, long bytes, SplittableRandom random) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (long done = 0; done < bytes; ) {
      buf.clear();
      int n = (int) Math.min(buf.capacity(), bytes - done);
      for (int i = 0; i < n; i += 8) {
        long r = random.nextLong() & 0x807F807F807F807FL | 0x3C003C003C003C00L;
        buf.putLong(i, r);
      }
      out.write(buf.array(), 0, n);
      done += n;
    }
  }
}
