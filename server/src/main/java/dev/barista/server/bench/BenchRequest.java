package dev.barista.server.bench;

import java.util.List;

/** One benchmark request: a token-id prompt and how many tokens to generate (EOS ignored). */
public record BenchRequest(List<Integer> prompt, int outputLen) {}
