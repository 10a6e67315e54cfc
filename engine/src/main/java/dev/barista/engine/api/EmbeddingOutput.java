package dev.barista.engine.api;

/** vLLM's EmbeddingOutput: a unit-length embedding. */
public record EmbeddingOutput(float[] embedding) {
  /** {@code v} scaled to unit length (as vLLM's normalize). */
  public static float[] unitLength(float[] v) {
    double sum = 0;
    for (float x : v) sum += (double) x * x;
    double norm = Math.max(Math.sqrt(sum), 1e-12);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
    return out;
  }

  /** The cosine similarity of two unit-length embeddings: their dot product. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int j = 0; j < a.length; j++) dot += (double) a[j] * b[j];
    return dot;
  }

  /** The embedding's dimension (vLLM's hidden_size). */
  public int hiddenSize() {
    return embedding.length;
  }
}
