package dev.barista.tokenizer.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.IntList;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TokenizerException;
import java.util.ArrayList;
import java.util.List;

/** Builds the post-processor of tokenizer.json's "post_processor" section (null when absent). */
public final class PostProcessors {
  private PostProcessors() {}

  public static PostProcessor fromJson(JsonNode node, String where) {
    if (node == null || node.isNull()) return null;
    String type = JsonFields.type(node, where);
    String here = where + " (" + type + ")";
    return switch (type) {
      case "ByteLevel" -> ids -> ids;
      case "TemplateProcessing" -> template(node, here);
      case "BertProcessing", "RobertaProcessing" -> wrap(
          tokenId(node, "cls", here), tokenId(node, "sep", here));
      case "Sequence" -> sequence(JsonFields.array(node, "processors", here), here);
      default -> throw JsonFields.unknownType("post_processor", type, where);
    };
  }

  private static int tokenId(JsonNode node, String field, String where) {
    JsonNode pair = node.get(field);
    if (pair == null || !pair.isArray() || pair.size() != 2) {
      throw new TokenizerException(where + ": '" + field + "' must be [token, id]");
    }
    return pair.get(1).asInt();
  }

  private static PostProcessor wrap(int first, int last) {
    return ids -> {
      int[] out = new int[ids.length + 2];
      out[0] = first;
      System.arraycopy(ids, 0, out, 1, ids.length);
      out[out.length - 1] = last;
      return out;
    };
  }

  /** TemplateProcessing's "single" template: special tokens around sequence $A. */
  private static PostProcessor template(JsonNode node, String where) {
    JsonNode single = JsonFields.array(node, "single", where);
    JsonNode specials = node.get("special_tokens");
    List<int[]> parts = new ArrayList<>();
    for (JsonNode item : single) {
      if (item.has("Sequence")) {
        parts.add(null);
      } else if (item.has("SpecialToken")) {
        String id = JsonFields.string(item.get("SpecialToken"), "id", where);
        JsonNode special = specials == null ? null : specials.get(id);
        if (special == null) throw new TokenizerException(where + ": special token '" + id + "' is not in special_tokens");
        JsonNode ids = JsonFields.array(special, "ids", where + " special_tokens." + id);
        int[] values = new int[ids.size()];
        for (int i = 0; i < values.length; i++) values[i] = ids.get(i).asInt();
        parts.add(values);
      } else {
        throw new TokenizerException(where + ": template items must be Sequence or SpecialToken");
      }
    }
    return ids -> {
      IntList out = new IntList(ids.length + 4);
      for (int[] part : parts) out.addAll(part == null ? ids : part);
      return out.toArray();
    };
  }

  private static PostProcessor sequence(JsonNode list, String where) {
    List<PostProcessor> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      PostProcessor p = fromJson(list.get(i), where + "[" + i + "]");
      if (p != null) parts.add(p);
    }
    return ids -> {
      for (PostProcessor p : parts) ids = p.process(ids);
      return ids;
    };
  }
}
