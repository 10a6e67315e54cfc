package dev.barista.hub.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.hub.safetensors.SafetensorsHeader;
import dev.barista.hub.safetensors.SafetensorsWriter;
import dev.barista.hub.safetensors.TensorEntry;
import dev.barista.hub.store.LocalBlobStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Splits a model folder into one folder per tensor-parallel rank: rank-R/ holds the same files
 * (configs, tokenizer) and safetensors files with each rank's slice of every tensor, by
 * {@link TensorSplit}. A barista-shard.json at the root and in each rank records the degree.
 */
public final class TensorParallelSharder {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int COPY_BUFFER = 1 << 20;

  private TensorParallelSharder() {}

  public static ShardManifest shard(Path source, Path out, ShardConfig config, String sourceName) throws IOException {
    int tp = config.tensorParallelSize();
    if (tp < 2) throw new IllegalArgumentException("sharding needs tp >= 2 (tp=1 is the model as it is)");
    checkHeads(source, tp);
    List<Path> weights = new ArrayList<>();
    List<Path> others = new ArrayList<>();
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.sorted().toList()) {
        String n = f.getFileName().toString();
        if (!Files.isRegularFile(f) || n.equals(ShardManifest.FILE)) continue;
        if (n.endsWith(".safetensors")) weights.add(f);
        else if (!n.equals("model.safetensors.index.json")) others.add(f);
      }
    }
    if (weights.isEmpty()) throw new IllegalArgumentException(source + ": no .safetensors files to shard");

    Map<String, TensorSplit> splits = new TreeMap<>();
    List<String> ranks = new ArrayList<>();
    for (int r = 0; r < tp; r++) ranks.add(ShardManifest.rankFolder(r));
    for (int r = 0; r < tp; r++) {
      Path rankDir = Files.createDirectories(out.resolve(ranks.get(r)));
      for (Path f : others) Files.copy(f, rankDir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, String> weightMap = new TreeMap<>();
    long[] totalPerRank = new long[tp];
    for (Path w : weights) {
      SafetensorsHeader header = SafetensorsHeader.read(new LocalBlobStore(w.getParent()), w.getFileName().toString());
      for (TensorEntry t : header.tensors()) {
        splits.put(t.name(), TensorSplit.of(t.name(), t.shape(), tp));
        weightMap.put(t.name(), w.getFileName().toString());
      }
      for (int r = 0; r < tp; r++) {
        totalPerRank[r] += writeRank(w, header, splits, tp, r, out.resolve(ranks.get(r)).resolve(w.getFileName()));
      }
    }
    if (weights.size() > 1) {
      for (int r = 0; r < tp; r++) writeIndex(out.resolve(ranks.get(r)), weightMap, totalPerRank[r]);
    }
    ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT, tp, -1, ranks, sourceName, splits);
    Files.createDirectories(out);
    manifest.write(out);
    for (int r = 0; r < tp; r++) manifest.forRank(r).write(out.resolve(ranks.get(r)));
    return manifest;
  }

  /** Whole attention heads per rank: q and kv head counts must divide by tp. */
  private static void checkHeads(Path source, int tp) throws IOException {
    Path config = source.resolve("config.json");
    if (!Files.isRegularFile(config)) return;
    var c = JSON.readTree(config.toFile());
    var heads = c.path("num_attention_heads");
    var kvHeads = c.path("num_key_value_heads").isMissingNode() ? heads : c.path("num_key_value_heads");
    if (heads.isInt() && heads.asInt() % tp != 0) {
      throw new IllegalArgumentException("num_attention_heads=" + heads.asInt() + " is not divisible by tp=" + tp);
    }
    if (kvHeads.isInt() && kvHeads.asInt() % tp != 0) {
      throw new IllegalArgumentException("num_key_value_heads=" + kvHeads.asInt() + " is not divisible by tp=" + tp);
    }
  }

  private static long writeRank(Path file, SafetensorsHeader header, Map<String, TensorSplit> splits, int tp, int rank,
      Path target) throws IOException {
    List<SafetensorsWriter.Spec> specs = new ArrayList<>();
    for (TensorEntry t : header.tensors()) {
      long[] shape = t.shape().clone();
      TensorSplit s = splits.get(t.name());
      if (s.dim() >= 0) shape[s.dim()] /= tp;
      specs.add(new SafetensorsWriter.Spec(t.name(), t.dtype(), shape));
    }
    long written = 0;
    try (Arena arena = Arena.ofConfined();
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), COPY_BUFFER)) {
      MemorySegment data = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size(), arena);
      SafetensorsWriter.writeHeader(out, specs, Map.of("format", "pt"));
      byte[] buf = new byte[COPY_BUFFER];
      for (TensorEntry t : header.tensors()) {
        MemorySegment tensor = data.asSlice(header.dataStart() + t.begin(), t.byteSize());
        written += copySlice(tensor, t, splits.get(t.name()), tp, rank, out, buf);
      }
    }
    return written;
  }

  /**
   * Writes this rank's part of a tensor viewed as [outer, middle, inner]: split dim 0 keeps a
   * contiguous block; split dim 1 takes one strided block per outer row.
   */
  private static long copySlice(MemorySegment tensor, TensorEntry t, TensorSplit split, int tp, int rank,
      OutputStream out, byte[] buf) throws IOException {
    if (split.dim() < 0) return copy(tensor, out, buf);
    long[] shape = t.shape();
    long elem = t.dtype().bytes();
    if (split.dim() == 0) {
      long block = tensor.byteSize() / tp;
      return copy(tensor.asSlice(rank * block, block), out, buf);
    }
    long outer = shape[0];
    long inner = elem;
    for (int i = 2; i < shape.length; i++) inner *= shape[i];
    long rowBytes = shape[1] * inner;
    long part = rowBytes / tp;
    long n = 0;
    for (long o = 0; o < outer; o++) n += copy(tensor.asSlice(o * rowBytes + rank * part, part), out, buf);
    return n;
  }

  private static long copy(MemorySegment src, OutputStream out, byte[] buf) throws IOException {
    for (long off = 0; off < src.byteSize(); ) {
      int n = (int) Math.min(buf.length, src.byteSize() - off);
      MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, buf, 0, n);
      out.write(buf, 0, n);
      off += n;
    }
    return src.byteSize();
  }

  private static void writeIndex(Path rankDir, Map<String, String> weightMap, long total) throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode map = index.putObject("weight_map");
    new LinkedHashMap<>(weightMap).forEach(map::put);
    JSON.writeValue(rankDir.resolve("model.safetensors.index.json").toFile(), index);
  }
}
