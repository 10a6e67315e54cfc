package dev.barista.hub;

/** Receives transfer progress; called from several download threads at once. */
public interface DownloadProgress {
  DownloadProgress NONE = new DownloadProgress() {};

  /** A batch of files totalling this many bytes (-1 if unknown) starts. */
  default void begin(int files, long totalBytes) {}

  default void advanced(long bytes) {}

  default void fileDone(String path) {}

  default void end() {}

  /**
   * A progress bar on stderr when it is a terminal, nothing otherwise (logs stay clean) or when
   * HF_HUB_DISABLE_PROGRESS_BARS is set, as in huggingface_hub.
   */
  static DownloadProgress forTerminal() {
    String off = System.getenv("HF_HUB_DISABLE_PROGRESS_BARS");
    if (off != null && !off.isBlank() && !off.equals("0")) return NONE;
    var console = System.console();
    return console != null && console.isTerminal() ? new TerminalProgressBar(System.err) : NONE;
  }
}
