package dev.barista.tokenizer.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled chat template, rendered as transformers' apply_chat_template renders it: Jinja2 with
 * trim_blocks and lstrip_blocks, loop controls, raise_exception and strftime_now, the variables
 * messages, tools, documents, add_generation_prompt, the tokenizer's special tokens and any extra
 * keyword arguments (e.g. enable_thinking). Immutable and thread-safe.
 */
public final class ChatTemplate {
  private final String source;
  private final List<Node> body;
  private final Map<String, Object> specialTokens;

  private ChatTemplate(String source, List<Node> body, Map<String, Object> specialTokens) {
    this.source = source;
    this.body = body;
    this.specialTokens = specialTokens;
  }

  /** Parses a template; syntax errors throw {@link TemplateException} with line and column. */
  public static ChatTemplate compile(String source, Map<String, Object> specialTokens) {
    return new ChatTemplate(source, Parser.parse(source), Map.copyOf(specialTokens));
  }

  public static ChatTemplate compile(String source) {
    return compile(source, Map.of());
  }

  public String source() {
    return source;
  }

  /** Renders the conversation; tools and kwargs may be null. */
  public String apply(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
      boolean addGenerationPrompt, Map<String, Object> kwargs) {
    return apply(messages, tools, addGenerationPrompt, false, kwargs);
  }

  /**
   * Renders the conversation. With continueFinalMessage the output ends right after the final
   * message's content (so generation continues it), as transformers does; it cannot be combined
   * with addGenerationPrompt.
   */
  public String apply(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
      boolean addGenerationPrompt, boolean continueFinalMessage, Map<String, Object> kwargs) {
    if (messages == null) throw new TemplateException("messages must not be null");
    if (continueFinalMessage && addGenerationPrompt) {
      throw new TemplateException("continue_final_message and add_generation_prompt are not compatible. "
          + "Use continue_final_message when you want the model to continue the final message, and "
          + "add_generation_prompt when you want to add a header that will prompt it to start a new assistant message instead.");
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("messages", Ops.fromJava(messages));
    vars.put("tools", tools == null ? null : Ops.fromJava(tools));
    vars.put("documents", null);
    vars.put("add_generation_prompt", addGenerationPrompt);
    vars.putAll(specialTokens);
    if (kwargs != null) kwargs.forEach((k, v) -> vars.put(k, Ops.fromJava(v)));
    String rendered = render(vars);
    return continueFinalMessage ? cutAfterFinalMessage(rendered, messages) : rendered;
  }

  /** Renders with exactly the given variables (plus the globals). */
  public String render(Map<String, Object> variables) {
    Scope root = new Scope(null);
    Globals.install(root);
    variables.forEach((k, v) -> root.set(k, Ops.fromJava(v)));
    try {
      return new Renderer(root).render(body);
    } catch (Signals.Break | Signals.Continue e) {
      throw new TemplateException("TemplateSyntaxError: break or continue outside of a loop");
    } catch (StackOverflowError e) {
      throw new TemplateException("RecursionError: maximum recursion depth exceeded while rendering");
    } catch (ClassCastException | IndexOutOfBoundsException | ArithmeticException e) {
      throw new TemplateException("TypeError: " + e.getMessage());
    }
  }

  private static String cutAfterFinalMessage(String rendered, List<Map<String, Object>> messages) {
    if (messages.isEmpty()) throw new TemplateException("continue_final_message needs at least one message");
    Object content = messages.getLast().get("content");
    if (content instanceof List<?> blocks) {
      List<Object> reversed = new ArrayList<>(blocks);
      java.util.Collections.reverse(reversed);
      content = null;
      for (Object block : reversed) {
        if (block instanceof Map<?, ?> m && m.containsKey("text")) {
          content = m.get("text");
          break;
        }
      }
      if (content == null) {
        throw new TemplateException("continue_final_message is set but we could not find any text to continue in the final message!");
      }
    }
    String text = String.valueOf(content);
    String stripped = Py.strip(text, null, true, true);
    int at = rendered.lastIndexOf(stripped);
    if (at < 0) {
      throw new TemplateException("continue_final_message is set but the final message does not appear in the chat after "
          + "applying the chat template! This can happen if the chat template deletes portions of the final message. "
          + "Please verify the chat template and final message in your chat to ensure they are compatible.");
    }
    // As transformers: keep the message's trailing whitespace where the template kept it verbatim
    // (only possible without leading whitespace), else stop at its stripped end.
    boolean verbatim = Py.strip(text, null, true, false).length() == text.length() && rendered.startsWith(text, at);
    return rendered.substring(0, at + (verbatim ? text.length() : stripped.length()));
  }
}
