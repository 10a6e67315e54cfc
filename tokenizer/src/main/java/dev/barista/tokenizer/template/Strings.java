package dev.barista.tokenizer.template;

import java.util.ArrayList;
import java.util.List;

/** Strings as Python sees them: sequences of code points. */
final class Strings {
  private Strings() {}

  static List<String> chars(String s) {
    List<String> out = new ArrayList<>(s.length());
    for (int i = 0; i < s.length(); ) {
      int next = i + Character.charCount(s.codePointAt(i));
      out.add(s.substring(i, next));
      i = next;
    }
    return out;
  }

  static String slice(String s, Object start, Object stop, Object step) {
    List<String> cs = chars(s);
    StringBuilder sb = new StringBuilder();
    for (int i : Ops.sliceIndices(cs.size(), start, stop, step)) sb.append(cs.get(i));
    return sb.toString();
  }

  static Object index(String s, long i) {
    List<String> cs = chars(s);
    long k = i < 0 ? i + cs.size() : i;
    if (k < 0 || k >= cs.size()) return new Undefined("string index out of range");
    return cs.get((int) k);
  }
}
