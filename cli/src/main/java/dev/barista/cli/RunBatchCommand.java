package dev.barista.cli;

import dev.barista.server.EngineBackend;
import dev.barista.server.ServerOptions;
import dev.barista.server.ServingContext;
import dev.barista.server.batch.RunBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `barista run-batch -i IN.jsonl -o OUT.jsonl --model M`: OpenAI batch files, as vLLM's run_batch. */
@Command(name = "run-batch", mixinStandardHelpOptions = true,
    description = "Run an OpenAI batch file (/v1/completions, /v1/chat/completions lines) offline.")
public final class RunBatchCommand implements Callable<Integer> {

  @Option(names = {"-i", "--input-file"}, required = true, description = "Input JSONL.")
  Path input;

  @Option(names = {"-o", "--output-file"}, required = true, description = "Output JSONL.")
  Path output;

  @Option(names = "--model", required = true, description = "Model folder.")
  String model;

  @Option(names = "--served-model-name", arity = "1..*", description = "Names requests may use.")
  List<String> servedModelNames;

  @Option(names = "--chat-template", description = "Chat template file or text.")
  String chatTemplate;

  @Option(names = "--tool-call-parser", description = "hermes or llama3_json.")
  String toolCallParser;

  @Option(names = "--enable-auto-tool-choice", description = "Parse tool calls for tool_choice auto.")
  boolean enableAutoToolChoice;

  @Mixin ServeEngineFlags engine;

  @Override
  public Integer call() throws Exception {
    List<String> names = servedModelNames == null || servedModelNames.isEmpty()
        ? List.of(model) : servedModelNames;
    ServerOptions options = ServerOptions.local(names.get(0))
        .withToolCallParser(toolCallParser, enableAutoToolChoice);
    options = new ServerOptions(options.host(), options.port(), names, null,
        options.toolCallParser(), options.enableAutoToolChoice(), true,
        options.maxRequestBodyBytes(), options.shutdownTimeout());
    try (EngineBackend backend = EngineBackend.open(engine.toArgs(model), chatTemplate)) {
      ServingContext ctx = ServingContext.create(backend, options,
          Path.of(model).toAbsolutePath().toString());
      RunBatch.Summary s = new RunBatch(ctx).run(input, output);
      System.err.println("run-batch: " + s.succeeded() + " succeeded, " + s.failed()
          + " failed; wrote " + output);
      return 0;
    }
  }
}
