package dev.barista.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `barista prefetch`: copy models into a blob store ahead of serving. */
@Command(
    name = "prefetch",
    mixinStandardHelpOptions = true,
    description = "Copy a model into a store (folder, file:// or s3://), optionally sharded per tensor-parallel rank.",
    subcommands = {PrefetchHfCommand.class})
public final class PrefetchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
