package dev.barista.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `barista` command: one subcommand per job. */
@Command(
    name = "barista",
    mixinStandardHelpOptions = true,
    version = "barista 0.1.0",
    description = "Serve large language models: engine, OpenAI-compatible server, apps.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      RunBatchCommand.class,
      GenerateCommand.class,
      PrefetchCommand.class,
      DeployCommand.class,
      AppsCommand.class,
      SecretsCommand.class,
      TokenizeCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code; errors become one line on stderr, never a stack trace. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + CliErrors.message(ex));
          if (System.getenv("BARISTA_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
          return 1;
        });
    return cli.execute(args);
  }
}
