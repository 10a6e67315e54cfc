package dev.barista.hub.shard;

import static org.junit.jupiter.api.Assertions.*;

import dev.barista.hub.TestModels;
import dev.barista.hub.safetensors.SafetensorsHeader;
import dev.barista.hub.safetensors.TensorEntry;
import dev.barista.hub.store.LocalBlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorParallelSharderTest {
  @TempDir Path out;
  private final Path model = TestModels.folder("tiny-qwen3");

  /** A tensor's float32 values, read with plain NIO from the file (no sharder code). */
  private static float[] floats(Path folder, String file, String tensor) throws IOException {
    SafetensorsHeader h = SafetensorsHeader.read(new LocalBlobStore(folder), file);
    TensorEntry t = h.tensor(tensor);
    ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(folder.resolve(file))).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[(int) t.elements()];
    for (int i = 0; i < v.length; i++) v[i] = bb.getFloat((int) (h.dataStart() + t.begin() + 4L * i));
    return v;
  }

  private static long[] shape(Path folder, String file, String tensor) throws IOException {
    return SafetensorsHeader.read(new LocalBlobStore(folder), file).tensor(tensor).shape();
  }

  @Test
  void splitsColumnRowVocabAndReplicatesTheRest() throws IOException {
    ShardManifest m = TensorParallelSharder.shard(model, out, new ShardConfig(2), "test/tiny-qwen3");
    assertEquals(List.of("rank-0", "rank-1"), m.ranks());
    String f1 = "model-00001-of-00002.safetensors";

    // q_proj [128, 64] column-parallel: rank r holds rows [64r, 64r+64)
    String q = "model.layers.0.self_attn.q_proj.weight";
    float[] full = floats(model, f1, q);
    for (int r = 0; r < 2; r++) {
      Path rank = out.resolve("rank-" + r);
      assertArrayEquals(new long[] {64, 64}, shape(rank, f1, q));
      assertArrayEquals(Arrays.copyOfRange(full, r * 64 * 64, (r + 1) * 64 * 64), floats(rank, f1, q));
    }
    // o_proj [64, 128] row-parallel: rank r holds columns [64r, 64r+64) of every row
    String o = "model.layers.0.self_attn.o_proj.weight";
    float[] fo = floats(model, f1, o);
    for (int r = 0; r < 2; r++) {
      float[] part = floats(out.resolve("rank-" + r), f1, o);
      assertArrayEquals(new long[] {64, 64}, shape(out.resolve("rank-" + r), f1, o));
      for (int row = 0; row < 64; row++) {
        for (int c = 0; c < 64; c++) assertEquals(fo[row * 128 + r * 64 + c], part[row * 64 + c]);
      }
    }
    // embeddings [1100, 64]: vocabulary halves; norms: whole
    assertArrayEquals(new long[] {550, 64}, shape(out.resolve("rank-1"), f1, "model.embed_tokens.weight"));
    String norm = "model.layers.0.self_attn.q_norm.weight";
    assertArrayEquals(floats(model, f1, norm), floats(out.resolve("rank-1"), f1, norm));

    assertEquals(TensorSplit.COLUMN, m.splits().get(q));
    assertEquals(TensorSplit.ROW, m.splits().get(o));
    assertEquals(TensorSplit.VOCAB, m.splits().get("model.embed_tokens.weight"));
    assertEquals(TensorSplit.REPLICATED, m.splits().get(norm));
    assertTrue(Files.exists(out.resolve("rank-0/config.json")));
    assertTrue(Files.exists(out.resolve("rank-1/model.safetensors.index.json")));
  }

  @Test
  void theArtifactRefusesAnotherDegree() throws IOException {
    TensorParallelSharder.shard(model, out, new ShardConfig(2), "test/tiny-qwen3");
    ShardManifest.requireDegree(out, 2);
    ShardManifest.requireDegree(out.resolve("rank-1"), 2);
    ShardManifest.requireDegree(model, 1); // unsharded: any degree
    var e = assertThrows(ShardMismatchException.class, () -> ShardManifest.requireDegree(out.resolve("rank-0"), 1));
    assertTrue(e.getMessage().contains("tensor_parallel_size=2"), e.getMessage());
    assertThrows(ShardMismatchException.class, () -> ShardManifest.requireDegree(out, 4));
  }

  @Test
  void kvHeadsMustDivideTheDegree() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> TensorParallelSharder.shard(model, out, new ShardConfig(4), "test/tiny-qwen3"));
    assertEquals("num_key_value_heads=2 is not divisible by tp=4", e.getMessage());
  }

  @Test
  void parsesTheShardFlag() {
    assertEquals(8, ShardConfig.parse("tp=8").tensorParallelSize());
    assertThrows(IllegalArgumentException.class, () -> ShardConfig.parse("pp=2"));
    assertThrows(IllegalArgumentException.class, () -> ShardConfig.parse("tp=0"));
  }
}
