package dev.barista.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The engine requests of one HTTP request (one per prompt); closing aborts any still running. */
public final class RunGroup implements AutoCloseable, Iterable<GenerationRun> {
  private final List<GenerationRun> runs = new ArrayList<>();

  public void add(GenerationRun run) {
    runs.add(run);
  }

  public GenerationRun get(int i) {
    return runs.get(i);
  }

  /** Aborts every request in the engine; safe from another thread (a failure listener). */
  public void abortAll() {
    for (GenerationRun r : List.copyOf(runs)) r.abort();
  }

  @Override
  public Iterator<GenerationRun> iterator() {
    return runs.iterator();
  }

  @Override
  public void close() {
    for (GenerationRun r : runs) r.close();
  }
}
