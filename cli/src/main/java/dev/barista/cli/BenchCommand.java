package dev.barista.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `barista bench`: performance measurements, one subcommand per kind. */
@Command(
    name = "bench",
    description = "Benchmarks: latency (batch-1 decode vs the memory roofline), tokenizer throughput, gateway, model load.",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchLatencyCommand.class,
      BenchServeCommand.class,
      BenchTokenizerCommand.class,
      BenchGatewayCommand.class,
      BenchThroughputCommand.class,
      BenchLoadCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
