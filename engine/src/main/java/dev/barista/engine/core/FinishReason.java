package dev.barista.engine.core;

/** Why a sequence ended, with the names vLLM reports. */
public enum FinishReason {
  STOP("stop"),
  LENGTH("length"),
  ABORT("abort");

  private final String apiName;

  FinishReason(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}
