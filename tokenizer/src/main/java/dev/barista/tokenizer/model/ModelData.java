package dev.barista.tokenizer.model;

import java.util.List;
import java.util.Map;

/** A model's vocab and merges read ahead of the JSON tree (each null when it stayed in the tree). */
public record ModelData(Map<String, Integer> vocab, List<String[]> merges) {
  public static final ModelData NONE = new ModelData(null, null);
}
