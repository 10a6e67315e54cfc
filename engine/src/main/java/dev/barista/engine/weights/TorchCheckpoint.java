package dev.barista.engine.weights;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch checkpoint (pytorch_model.bin as torch.save writes it since 1.6: a zip archive of
 * data.pkl and one data/KEY entry per storage), read without Python: the state dict's tensors
 * are located through {@link TorchPickle}, and each storage is read into memory of its own when a
 * tensor of it is first loaded. Older checkpoints (the legacy tar/pickle format) are refused.
 */
public final class TorchCheckpoint implements WeightSource {
  private final Path path;
  private final ZipFile zip;
  private final String prefix;
  private final Map<String, TorchPickle.TensorRef> tensors;
  private final Map<String, MemorySegment> storages = new HashMap<>();
  private final Arena arena = Arena.ofShared();

  private TorchCheckpoint(Path path, ZipFile zip, String prefix, Map<String, TorchPickle.TensorRef> tensors) {
    this.path = path;
    this.zip = zip;
    this.prefix = prefix;
    this.tensors = tensors;
  }

  public static TorchCheckpoint open(Path path) {
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw new TorchCheckpointException(path + ": not a zip archive (a PyTorch checkpoint from torch < 1.6 or a"
          + " corrupt file); convert it to safetensors", e);
    } catch (IOException e) {
      throw new TorchCheckpointException(path + ": cannot be read: " + e.getMessage(), e);
    }
    try {
      ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
          .findFirst().orElseThrow(() -> new TorchCheckpointException(path + ": no data.pkl in the archive"));
      String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
      byte[] data;
      try (InputStream in = zip.getInputStream(pkl)) {
        data = in.readAllBytes();
      }
      return new TorchCheckpoint(path, zip, prefix, TorchPickle.stateDict(data, path.toString()));
    } catch (IOException | RuntimeException e) {
      try {
        zip.close();
      } catch (IOException ignored) {
        // the first failure is the one to report
      }
      if (e instanceof RuntimeException r) throw r;
      throw new TorchCheckpointException(path + ": cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  @Override
  public Tensor load(String name, long... expectedShape) {
    TorchPickle.TensorRef ref = tensors.get(name);
    if (ref == null) throw new MissingTensorException(name, path.toString());
    DType dtype = switch (ref.storage().type()) {
      case "FloatStorage" -> DType.F32;
      case "BFloat16Storage" -> DType.BF16;
      case "HalfStorage" -> DType.F16;
      default -> throw new UnsupportedDtypeException(path + ": tensor " + name + " is a " + ref.storage().type()
          + ", supported: FloatStorage, BFloat16Storage, HalfStorage");
    };
    long[] shape = ref.shape();
    long expectStride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && ref.stride()[i] != expectStride) {
        throw new TorchCheckpointException(path + ": tensor " + name + " is not contiguous (strides "
            + Arrays.toString(ref.stride()) + " for shape " + Arrays.toString(shape) + ")");
      }
      expectStride *= shape[i];
    }
    MemorySegment storage = storage(ref.storage().key());
    long bytes = expectStride * dtype.bytes();
    long from = ref.offset() * dtype.bytes();
    if (from < 0 || from + bytes > storage.byteSize()) {
      throw new TorchCheckpointException(path + ": tensor " + name + " lies outside its storage");
    }
    return TensorChecks.requireShape(new Tensor(name, dtype, shape, storage.asSlice(from, bytes)), expectedShape,
        path.toString());
  }

  private synchronized MemorySegment storage(String key) {
    MemorySegment s = storages.get(key);
    if (s != null) return s;
    ZipEntry e = zip.getEntry(prefix + "data/" + key);
    if (e == null) throw new TorchCheckpointException(path + ": storage data/" + key + " is missing");
    try (InputStream in = zip.getInputStream(e)) {
      byte[] chunk = new byte[1 << 20];
      long size = e.getSize();
      if (size < 0) throw new TorchCheckpointException(path + ": storage data/" + key + " has no size");
      s = arena.allocate(Math.max(1, size), 64);
      long at = 0;
      for (int n; (n = in.read(chunk)) > 0; at += n) {
        if (at + n > size) throw new TorchCheckpointException(path + ": storage data/" + key + " is longer than its entry says");
        MemorySegment.copy(chunk, 0, s, ValueLayout.JAVA_BYTE, at, n);
      }
      if (at != size) throw new TorchCheckpointException(path + ": storage data/" + key + " is truncated");
    } catch (IOException ex) {
      throw new TorchCheckpointException(path + ": storage data/" + key + " cannot be read: " + ex.getMessage(), ex);
    }
    storages.put(key, s);
    return s;
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException ignored) {
      // nothing is written
    }
    arena.close();
  }
}
