package dev.barista.tokenizer.pretokenizer;

import dev.barista.tokenizer.TokenizerException;
import java.util.ArrayList;
import java.util.List;

/** What happens to the delimiters a pattern finds: Hugging Face's SplitDelimiterBehavior. */
public enum SplitBehavior {
  REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

  public static SplitBehavior parse(String name, String where) {
    return switch (name) {
      case "Removed" -> REMOVED;
      case "Isolated" -> ISOLATED;
      case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
      case "MergedWithNext" -> MERGED_WITH_NEXT;
      case "Contiguous" -> CONTIGUOUS;
      default -> throw new TokenizerException(where + ": unknown split behavior '" + name + "'");
    };
  }

  /**
   * Turns spans covering the text ([start, end, isMatch] triples, in order) into the kept
   * [start, end] spans.
   */
  public List<int[]> apply(List<int[]> spans) {
    List<int[]> out = new ArrayList<>(spans.size());
    switch (this) {
      case ISOLATED -> spans.forEach(s -> out.add(new int[] {s[0], s[1]}));
      case REMOVED -> spans.stream().filter(s -> s[2] == 0).forEach(s -> out.add(new int[] {s[0], s[1]}));
      case CONTIGUOUS -> {
        boolean previous = false;
        for (int[] s : spans) {
          boolean match = s[2] == 1;
          if (match == previous && !out.isEmpty()) out.getLast()[1] = s[1];
          else out.add(new int[] {s[0], s[1]});
          previous = match;
        }
      }
      case MERGED_WITH_PREVIOUS -> {
        boolean previous = false;
        for (int[] s : spans) {
          boolean match = s[2] == 1;
          if (match && !previous && !out.isEmpty()) out.getLast()[1] = s[1];
          else out.add(new int[] {s[0], s[1]});
          previous = match;
        }
      }
      case MERGED_WITH_NEXT -> {
        boolean previous = false;
        for (int i = spans.size() - 1; i >= 0; i--) {
          int[] s = spans.get(i);
          boolean match = s[2] == 1;
          if (match && !previous && !out.isEmpty()) out.getLast()[0] = s[0];
          else out.add(new int[] {s[0], s[1]});
          previous = match;
        }
        java.util.Collections.reverse(out);
      }
    }
    return out;
  }
}
