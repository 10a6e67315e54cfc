package dev.barista.tokenizer.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Jinja's groupby and slice filters: sequences cut into groups or columns. */
final class Grouping {
  private static final List<String> GROUP_FIELDS = List.of("grouper", "list");

  private Grouping() {}

  /**
   * Items sorted by the attribute and grouped by equal values, as (grouper, list) namedtuples.
   * Without case_sensitive, strings compare lowercased and the grouper is the first item's value.
   */
  static List<Object> groupBy(Renderer r, Object value, Object attribute, Object fallback, boolean caseSensitive) {
    List<Object> items = Ops.iterate(value);
    List<Object> keys = new ArrayList<>();
    for (Object item : items) keys.add(key(r, item, attribute, fallback));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) order.add(i);
    Comparator<Integer> byKey = (i, j) -> Ops.compare(fold(keys.get(i), caseSensitive), fold(keys.get(j), caseSensitive), "<");
    order.sort(byKey);
    List<Object> out = new ArrayList<>();
    int start = 0;
    while (start < order.size()) {
      int end = start + 1;
      while (end < order.size() && byKey.compare(order.get(start), order.get(end)) == 0) end++;
      List<Object> group = new ArrayList<>();
      for (int k = start; k < end; k++) group.add(items.get(order.get(k)));
      out.add(Tuple.named(GROUP_FIELDS, keys.get(order.get(start)), group));
      start = end;
    }
    return out;
  }

  private static Object key(Renderer r, Object item, Object attribute, Object fallback) {
    Object key = r.getAttrPath(item, attribute);
    return key instanceof Undefined && fallback != null ? fallback : key;
  }

  private static Object fold(Object key, boolean caseSensitive) {
    return !caseSensitive && key instanceof String s ? s.toLowerCase(Locale.ROOT) : key;
  }

  /** The items dealt into `slices` columns, the first ones one longer; fill_with pads the short ones. */
  static List<Object> slice(Object value, int slices, Object fillWith) {
    List<Object> items = Ops.iterate(value);
    int perSlice = items.size() / slices;
    int withExtra = items.size() % slices;
    List<Object> out = new ArrayList<>();
    int offset = 0;
    for (int n = 0; n < slices; n++) {
      int start = offset + n * perSlice;
      if (n < withExtra) offset++;
      int end = offset + (n + 1) * perSlice;
      List<Object> column = new ArrayList<>(items.subList(start, end));
      if (fillWith != null && n >= withExtra) column.add(fillWith);
      out.add(column);
    }
    return out;
  }
}
