package dev.barista.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.config.MissingConfigKeyException;
import dev.barista.engine.config.ModelFolderNotFoundException;
import dev.barista.engine.config.ModelLoadException;
import dev.barista.engine.config.UnsupportedArchitectureException;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.weights.MissingTensorException;
import dev.barista.engine.weights.SafetensorsFormatException;
import dev.barista.engine.weights.TensorShapeException;
import dev.barista.engine.weights.UnsupportedDtypeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad model folder fails with its own exception and a message naming the culprit. */
class ModelLoaderErrorsTest {
  @TempDir Path dir;

  private <T extends ModelLoadException> T loadFails(Class<T> type, String... messageParts) {
    T e = assertThrows(type, () -> ModelLoader.load(dir, LoadOptions.auto()).close());
    for (String part : messageParts) {
      assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks " + part);
    }
    assertTrue(!e.getMessage().contains("\n"), "one line");
    return e;
  }

  @Test
  void missingFolder() {
    dir = dir.resolve("nope");
    loadFails(ModelFolderNotFoundException.class, "model folder", "nope");
  }

  @Test
  void missingConfigJson() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    Files.delete(dir.resolve("config.json"));
    loadFails(ModelFolderNotFoundException.class, "config.json");
  }

  @Test
  void configMissingARequiredKey() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.editConfig(dir, c -> c.remove("hidden_size"));
    MissingConfigKeyException e = loadFails(MissingConfigKeyException.class, "hidden_size", "config.json");
    assertEquals("hidden_size", e.key());
  }

  @Test
  void unsupportedArchitectureListsTheSupportedOnes() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.editConfig(dir, c -> ((ArrayNode) c.putArray("architectures")).add("RwkvForCausalLM"));
    loadFails(UnsupportedArchitectureException.class, "RwkvForCausalLM", "LlamaForCausalLM",
        "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM");
  }

  @Test
  void truncatedHeader() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.truncate(dir, 100);
    loadFails(SafetensorsFormatException.class, "model.safetensors", "truncated");
  }

  @Test
  void truncatedData() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.truncate(dir, (int) Files.size(dir.resolve("model.safetensors")) - 1000);
    loadFails(SafetensorsFormatException.class, "model.safetensors", "past the end");
  }

  @Test
  void headerOffsetsPastTheEnd() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.editHeader(dir, h -> {
      ArrayNode off = (ArrayNode) h.get("model.norm.weight").get("data_offsets");
      long begin = off.get(0).asLong() + 10_000_000;
      long end = off.get(1).asLong() + 10_000_000;
      off.removeAll().add(begin).add(end);
    });
    loadFails(SafetensorsFormatException.class, "model.norm.weight", "past the end");
  }

  @Test
  void missingTensor() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.editHeader(dir, h -> h.set("renamed", h.remove("model.layers.1.mlp.up_proj.weight")));
    loadFails(MissingTensorException.class, "model.layers.1.mlp.up_proj.weight", "missing");
  }

  @Test
  void tensorOfTheWrongShape() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.editHeader(dir, h -> ((ObjectNode) h.get("model.layers.0.self_attn.q_proj.weight"))
        .putArray("shape").add(32).add(128));
    loadFails(TensorShapeException.class, "model.layers.0.self_attn.q_proj.weight", "[32, 128]", "[64, 64]");
  }

  @Test
  void unsupportedDtype() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    ModelFolders.editHeader(dir, h -> ((ObjectNode) h.get("model.layers.0.input_layernorm.weight"))
        .put("dtype", "I32"));
    loadFails(UnsupportedDtypeException.class, "model.layers.0.input_layernorm.weight", "I32");
  }

  @Test
  void noWeightsFileSuggestsDummy() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    Files.delete(dir.resolve("model.safetensors"));
    loadFails(ModelLoadException.class, "model.safetensors", "--load-format dummy");
  }

  @Test
  void dummyWeightsNeedOnlyTheConfig() throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    Files.delete(dir.resolve("model.safetensors"));
    ModelLoader.load(dir, LoadOptions.dummy(1)).close();
  }
}
