package dev.barista.engine.api;

/** vLLM's ScoringOutput: for an embedding model, the cosine similarity of the pair's embeddings. */
public record ScoringOutput(double score) {}
