package dev.barista.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `barista bench`: measurements whose results go into docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (results are recorded in docs/benchmarks.md).",
    subcommands = {BenchTokenizerCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
