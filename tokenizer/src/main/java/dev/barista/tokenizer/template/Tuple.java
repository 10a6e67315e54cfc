package dev.barista.tokenizer.template;

import java.util.AbstractList;
import java.util.List;

/** A Python tuple: an immutable list whose repr uses parentheses. */
final class Tuple extends AbstractList<Object> {
  private final Object[] items;

  Tuple(Object... items) {
    this.items = items;
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
