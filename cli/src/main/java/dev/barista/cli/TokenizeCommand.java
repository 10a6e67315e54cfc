package dev.barista.cli;

import dev.barista.tokenizer.JsonlTokenization;
import dev.barista.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `barista tokenize`: tokenize texts or render and tokenize chats from a JSONL file. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = "Tokenize JSON lines ({\"text\"} or {\"messages\"}) with a model's tokenizer; writes {\"ids\"} per line.")
public final class TokenizeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Folder with tokenizer.json (and tokenizer_config.json).")
  Path model;

  @Option(names = "--input", required = true, description = "Input JSONL file.")
  Path input;

  @Option(names = "--output", required = true, description = "Output JSONL file (same line order).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(model)) throw new IllegalArgumentException("--model " + model + " is not a folder");
    if (!Files.isRegularFile(input)) throw new IllegalArgumentException("--input " + input + " does not exist");
    Tokenizer tokenizer = Tokenizer.fromDirectory(model);
    long[] counts;
    try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      counts = new JsonlTokenization(tokenizer).run(in, out);
    }
    System.err.printf("tokenized %d lines (%d errors) into %s%n", counts[0], counts[1], output);
    return 0;
  }
}
