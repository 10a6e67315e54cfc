package dev.barista.hub;

/** Offline mode is on (HF_HUB_OFFLINE) and the cache does not hold what was asked for. */
public final class OfflineCacheMissException extends HubException {
  public OfflineCacheMissException(String message) {
    super(message);
  }
}
