package dev.barista.engine.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Python's pickle machine that torch.save's data.pkl needs (protocols 2 to 4): dicts,
 * lists, tuples, strings, numbers, the OrderedDict of a state dict, and tensors rebuilt by
 * torch._utils._rebuild_tensor_v2 over storages named by persistent ids. Nothing is executed:
 * every GLOBAL must be one of the few classes and functions a state dict uses, or the file is
 * refused. Written here because no Java library reads PyTorch checkpoints without Python.
 */
final class TorchPickle {
  /** A tensor's storage: its key (the data/KEY entry of the archive) and element type. */
  record Storage(String key, String type) {}

  /** A tensor view: element offset into its storage, shape and strides (in elements). */
  record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {}

  private record Global(String module, String name) {}

  private static final Object MARK = new Object();

  private final ByteBuffer in;
  private final String where;
  private final List<Object> stack = new ArrayList<>();
  private final Map<Integer, Object> memo = new HashMap<>();

  private TorchPickle(byte[] data, String where) {
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.where = where;
  }

  /** The unpickled state dict: tensor names to tensor views (other entries are dropped). */
  static Map<String, TensorRef> stateDict(byte[] dataPkl, String where) {
    Object root = new TorchPickle(dataPkl, where).run();
    if (!(root instanceof Map<?, ?> map)) throw new TorchCheckpointException(where + ": data.pkl is not a dict");
    Map<String, TensorRef> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getKey() instanceof String k && e.getValue() instanceof TensorRef t) out.put(k, t);
    }
    return out;
  }

  private Object run() {
    while (true) {
      int op = in.get() & 0xFF;
      switch (op) {
        case 0x80 -> in.get(); // PROTO
        case 0x95 -> in.getLong(); // FRAME
        case '.' -> { // STOP
          return pop();
        }
        case '(' -> stack.add(MARK);
        case '}' -> stack.add(new LinkedHashMap<>());
        case ']' -> stack.add(new ArrayList<>());
        case ')' -> stack.add(List.of());
        case 'N' -> stack.add(null);
        case 0x88 -> stack.add(Boolean.TRUE);
        case 0x89 -> stack.add(Boolean.FALSE);
        case 'K' -> stack.add((long) (in.get() & 0xFF)); // BININT1
        case 'M' -> stack.add((long) (in.getShort() & 0xFFFF)); // BININT2
        case 'J' -> stack.add((long) in.getInt()); // BININT
        case 0x8A -> stack.add(long1(in.get() & 0xFF)); // LONG1
        case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT, big-endian
        case 'X' -> stack.add(string(in.getInt())); // BINUNICODE
        case 0x8C -> stack.add(string(in.get() & 0xFF)); // SHORT_BINUNICODE
        case 'T' -> stack.add(string(in.getInt())); // BINSTRING
        case 'U' -> stack.add(string(in.get() & 0xFF)); // SHORT_BINSTRING
        case 'q' -> memo.put(in.get() & 0xFF, peek()); // BINPUT
        case 'r' -> memo.put(in.getInt(), peek()); // LONG_BINPUT
        case 0x94 -> memo.put(memo.size(), peek()); // MEMOIZE
        case 'h' -> stack.add(memoGet(in.get() & 0xFF)); // BINGET
        case 'j' -> stack.add(memoGet(in.getInt())); // LONG_BINGET
        case 't' -> stack.add(List.copyOf(popToMark())); // TUPLE
        case 0x85 -> stack.add(List.of(pop())); // TUPLE1
        case 0x86 -> { // TUPLE2
          Object b = pop();
          stack.add(List.of(pop(), b));
        }
        case 0x87 -> { // TUPLE3
          Object c = pop();
          Object b = pop();
          stack.add(List.of(pop(), b, c));
        }
        case 'c' -> stack.add(global(line(), line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          String name = (String) pop();
          stack.add(global((String) pop(), name));
        }
        case 'Q' -> stack.add(persistent(pop())); // BINPERSID
        case 'R' -> { // REDUCE
          List<?> args = (List<?>) pop();
          stack.add(call(pop(), args));
        }
        case 0x81 -> { // NEWOBJ
          List<?> args = (List<?>) pop();
          stack.add(call(pop(), args));
        }
        case 'b' -> pop(); // BUILD: object state (a state dict's _metadata) is not needed
        case 's' -> { // SETITEM
          Object v = pop();
          Object k = pop();
          dict(peek()).put(k, v);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popToMark();
          Map<Object, Object> d = dict(peek());
          for (int i = 0; i + 1 < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
        }
        case 'a' -> { // APPEND
          Object v = pop();
          list(peek()).add(v);
        }
        case 'e' -> list(peek()).addAll(popToMark()); // APPENDS
        default -> throw new TorchCheckpointException(where + ": data.pkl opcode 0x" + Integer.toHexString(op)
            + " at byte " + (in.position() - 1) + " is not one a state dict uses");
      }
    }
  }

  private Object global(String module, String name) {
    return switch (module + "." + name) {
      case "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
          "builtins.set", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.LongStorage",
          "torch.IntStorage", "torch.BoolStorage", "torch.ByteStorage", "torch.DoubleStorage",
          "torch.float32", "torch.float16", "torch.bfloat16" -> new Global(module, name);
      default -> throw new TorchCheckpointException(where + ": data.pkl refers to " + module + "." + name
          + ", which a plain state dict does not; only state dicts of tensors are read");
    };
  }

  /** ('storage', storage type, key, location, size): the storage of one or more tensors. */
  private Object persistent(Object pid) {
    if (!(pid instanceof List<?> t) || t.size() < 3 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)) {
      throw new TorchCheckpointException(where + ": unexpected persistent id " + pid);
    }
    return new Storage(String.valueOf(t.get(2)), g.name());
  }

  private Object call(Object fn, List<?> args) {
    if (!(fn instanceof Global g)) throw new TorchCheckpointException(where + ": call of " + fn);
    return switch (g.name()) {
      case "OrderedDict" -> new LinkedHashMap<>();
      case "set" -> new ArrayList<>();
      case "_rebuild_parameter" -> args.get(0);
      case "_rebuild_tensor_v2" -> new TensorRef((Storage) args.get(0), (Long) args.get(1), longs(args.get(2)),
          longs(args.get(3)));
      default -> throw new TorchCheckpointException(where + ": data.pkl calls " + g.module() + "." + g.name());
    };
  }

  private static long[] longs(Object tuple) {
    List<?> l = (List<?>) tuple;
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = (Long) l.get(i);
    return out;
  }

  private long long1(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xFF) << (8 * i);
    if (n > 0 && n < 8 && (v >>> (8 * n - 1) & 1) != 0) v -= 1L << (8 * n); // two's complement
    return v;
  }

  private String string(int length) {
    byte[] b = new byte[length];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private String line() {
    StringBuilder sb = new StringBuilder();
    for (byte c = in.get(); c != '\n'; c = in.get()) sb.append((char) c);
    return sb.toString();
  }

  private Object memoGet(int i) {
    if (!memo.containsKey(i)) throw new TorchCheckpointException(where + ": data.pkl reads memo " + i + " before setting it");
    return memo.get(i);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object o) {
    if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
    throw new TorchCheckpointException(where + ": data.pkl sets an item of a " + o);
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o) {
    if (o instanceof ArrayList<?> l) return (List<Object>) l;
    throw new TorchCheckpointException(where + ": data.pkl appends to a " + o);
  }

  private Object pop() {
    if (stack.isEmpty()) throw new TorchCheckpointException(where + ": data.pkl pops an empty stack");
    return stack.removeLast();
  }

  private Object peek() {
    if (stack.isEmpty()) throw new TorchCheckpointException(where + ": data.pkl reads an empty stack");
    return stack.getLast();
  }

  private List<Object> popToMark() {
    int m = stack.lastIndexOf(MARK);
    if (m < 0) throw new TorchCheckpointException(where + ": data.pkl has no mark");
    List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
    stack.subList(m, stack.size()).clear();
    return items;
  }
}
