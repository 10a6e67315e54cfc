package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.apps.engine.EngineApp;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.yaml.AppFileReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped examples must stay valid and mean what their comments say. */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("../examples/apps");

  private static AppDeclaration read(String f) {
    List<AppDeclaration> apps = AppFileReader.read(EXAMPLES.resolve(f));
    assertEquals(1, apps.size());
    return apps.get(0);
  }

  @Test
  void tinyBaristaAppScalesFromZeroToOne() {
    AppDeclaration a = read("tiny-barista.yaml");
    assertEquals(0, a.spec().scaling().minReplicas());
    assertEquals(1, a.spec().scaling().maxReplicas());
    assertEquals(EXAMPLES.resolve("../../models/tiny-qwen3").toAbsolutePath().normalize().toString(),
        ((EngineApp) a).engine().model().localPath());
  }

  @Test
  void engineExamplesServeQwen3OnAnL40sAndScaleToZeroAfter600s() {
    for (String f : List.of("qwen3-vllm.yaml", "qwen3-sglang.yaml")) {
      EngineApp a = (EngineApp) read(f);
      assertEquals("Qwen/Qwen3-0.6B", a.engine().model().hfPath());
      assertEquals("qwen3-0.6b", a.engine().modelId());
      assertEquals("L40s:1", a.spec().resources().gpu().toString());
      assertEquals(600, a.spec().scaling().scaledownAfter().toSeconds());
    }
    assertEquals(List.of("google/gemma-2b-it"), read("flytekit-vllm.yaml").servedModels());
  }

  @Test
  void prefetchedS3ModelIsStreamedByVllm() {
    AppDeclaration a = read("qwen3-vllm-s3.yaml");
    var plan = a.launchPlan(8000, name -> "secret-" + name);
    assertEquals(List.of("vllm", "serve", "s3://models/qwen3-0.6b", "--served-model-name", "qwen3-0.6b", "--port", "8000",
        "--load-format", "runai_streamer", "--max-model-len", "8192"), plan.argv());
    assertEquals("secret-aws-access-key-id", plan.env().get("AWS_ACCESS_KEY_ID"));
  }
}
