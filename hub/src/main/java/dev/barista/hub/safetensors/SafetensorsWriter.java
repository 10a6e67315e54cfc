package dev.barista.hub.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/** Writes the header of a safetensors file for tensors laid out back to back in the given order. */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tensor to be written: its data follows the previous one's. */
  public record Spec(String name, DType dtype, long[] shape) {
    public long byteSize() {
      long n = dtype.bytes();
      for (long d : shape) n *= d;
      return n;
    }
  }

  private SafetensorsWriter() {}

  /** Writes length, JSON (space-padded to 8 bytes so the data is aligned) and returns the header size. */
  public static long writeHeader(OutputStream out, List<Spec> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = root.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (Spec t : tensors) {
      ObjectNode node = root.putObject(t.name());
      node.put("dtype", t.dtype().name());
      var shape = node.putArray("shape");
      for (long d : t.shape()) shape.add(d);
      long end = offset + t.byteSize();
      node.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = JSON.writeValueAsBytes(root);
    int padded = (json.length + 7) / 8 * 8;
    byte[] header = new byte[padded];
    System.arraycopy(json, 0, header, 0, json.length);
    for (int i = json.length; i < padded; i++) header[i] = ' ';
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(header);
    return 8L + padded;
  }

}
