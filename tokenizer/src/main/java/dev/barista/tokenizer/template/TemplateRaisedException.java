package dev.barista.tokenizer.template;

/** The template called raise_exception(message); the message is the template's own. */
public final class TemplateRaisedException extends TemplateException {
  private final String templateMessage;

  public TemplateRaisedException(String templateMessage) {
    super(templateMessage);
    this.templateMessage = templateMessage;
  }

  public String templateMessage() {
    return templateMessage;
  }
}
