package dev.barista.tokenizer.template;

import java.util.AbstractList;
import java.util.List;

/** A Python tuple: an immutable list whose repr uses parentheses; optionally a namedtuple. */
final class Tuple extends AbstractList<Object> {
  private final Object[] items;
  private final List<String> fieldNames;

  Tuple(Object... items) {
    this(List.of(), items);
  }

  private Tuple(List<String> fieldNames, Object... items) {
    this.items = items;
    this.fieldNames = fieldNames;
  }

  /** A namedtuple such as groupby's (grouper, list): items also reachable by field name. */
  static Tuple named(List<String> fieldNames, Object... items) {
    return new Tuple(fieldNames, items);
  }

  boolean hasField(String name) {
    return fieldNames.contains(name);
  }

  Object field(String name) {
    return items[fieldNames.indexOf(name)];
  }

  static Tuple of(List<?> items) {
    return new Tuple(items.toArray());
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  String repr() {
    if (items.length == 1) return "(" + Py.repr(items[0]) + ",)";
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < items.length; i++) sb.append(i > 0 ? ", " : "").append(Py.repr(items[i]));
    return sb.append(')').toString();
  }

}
