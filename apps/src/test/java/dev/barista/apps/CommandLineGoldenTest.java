package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.barista.apps.engine.FlytekitVllm;
import dev.barista.apps.engine.HFSecret;
import dev.barista.apps.engine.VllmApp;
import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.spec.ModelDownload;
import dev.barista.apps.spec.SecretResolver;
import dev.barista.apps.yaml.AppFileReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact command lines and environments of engine apps, written out by hand. */
class CommandLineGoldenTest {
  private static final SecretResolver SECRETS = name -> switch (name) {
    case "hf-token" -> "hf_secret_1";
    case "vllm_hf_token" -> "hf_secret_2";
    default -> throw new IllegalStateException("unexpected secret " + name);
  };

  static Path resource(String name) {
    try {
      return Path.of(CommandLineGoldenTest.class.getResource("/apps/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LaunchPlan plan(String file, int port) {
    List<AppDeclaration> apps = AppFileReader.read(resource(file));
    return apps.get(0).launchPlan(port, SECRETS);
  }

  @Test
  void vllmWithExtraArgsAsAShellString() {
    LaunchPlan p = plan("vllm-string-args.yaml", 8080);
    assertEquals(List.of("vllm", "serve", "Qwen/Qwen3-0.6B", "--served-model-name", "qwen3-0.6b", "--port", "8080",
        "--max-model-len", "8192", "--chat-template-content-format", "string",
        "--override-generation-config", "{\"temperature\": 0.6}"), p.argv());
    assertEquals(Map.of("VLLM_LOGGING_LEVEL", "INFO", "HF_TOKEN", "hf_secret_1", "PORT", "8080"), p.env());
    assertEquals("/health", p.probe().path());
  }

  @Test
  void sglangWithExtraArgsAsAListAndMatchingTensorParallelism() {
    LaunchPlan p = plan("sglang-list-args.yaml", 31001);
    assertEquals(List.of("python", "-m", "sglang.launch_server", "--model-path", "Qwen/Qwen3-0.6B",
        "--served-model-name", "qwen3-0.6b", "--port", "31001", "--tp", "2", "--mem-fraction-static", "0.8"), p.argv());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SYSTEM_PROMPT", "You are terse.");
    env.put("HF_TOKEN", "hf_secret_1");
    env.put("PORT", "31001");
    assertEquals(env, p.env());
  }

  @Test
  void vllmStreamingALocalModelPath() {
    LaunchPlan p = plan("vllm-stream-path.yaml", 9000);
    assertEquals(List.of("vllm", "serve", "/models/qwen3", "--served-model-name", "qwen3", "--port", "9000",
        "--load-format", "runai_streamer"), p.argv());
  }

  private static LaunchPlan planOf(String yaml, int port) {
    return AppFileReader.parse(yaml, Path.of("/apps"), "app.yaml").get(0).launchPlan(port, SECRETS);
  }

  @Test
  void vllmStreamsAnS3ModelWithItsRunaiStreamer() {
    LaunchPlan p = planOf("kind: VllmApp\nname: q\nmodel_path: s3://models/qwen3-0.6b/\nstream_model: true\n", 9000);
    assertEquals(List.of("vllm", "serve", "s3://models/qwen3-0.6b", "--served-model-name", "qwen3-0.6b", "--port", "9000",
        "--load-format", "runai_streamer"), p.argv());
    assertNull(p.download());
  }

  @Test
  void vllmWithoutStreamingGetsTheS3ModelDownloadedFirst() {
    LaunchPlan p = planOf("kind: VllmApp\nname: q\nmodel_path: s3://models/qwen3-0.6b\nmodel_id: qwen\n", 9000);
    assertEquals(new ModelDownload("s3://models/qwen3-0.6b", 2, 1), p.download());
    assertEquals(List.of("vllm", "serve", "/cache/qwen3-0.6b", "--served-model-name", "qwen", "--port", "9000"),
        p.withModelFolder(Path.of("/cache/qwen3-0.6b")).argv());
    assertNull(p.withModelFolder(Path.of("/cache/qwen3-0.6b")).download());
  }

  @Test
  void sglangGetsTheS3ModelDownloadedFirstWithItsTensorParallelSize() {
    LaunchPlan p = planOf("kind: SglangApp\nname: q\nmodel_path: s3://models/qwen3-0.6b\nresources: {gpu: 'L40s:2'}\n"
        + "extra_args: [--tp, '2']\n", 30000);
    assertEquals(new ModelDownload("s3://models/qwen3-0.6b", 4, 2), p.download());
    assertEquals(List.of("python", "-m", "sglang.launch_server", "--model-path", "/cache/m", "--served-model-name", "qwen3-0.6b",
        "--port", "30000", "--tp", "2"), p.withModelFolder(Path.of("/cache/m")).argv());
  }

  @Test
  void baristaReadsS3ItselfAndStreamsWithStreamModel() {
    LaunchPlan streamed = planOf("kind: BaristaApp\nname: t\nmodel_path: s3://models/tiny\nstream_model: true\n", 40000);
    assertEquals(List.of("barista", "serve", "s3://models/tiny", "--served-model-name", "tiny", "--port", "40000",
        "--load-format", "runai_streamer"), streamed.argv());
    assertNull(streamed.download());
    LaunchPlan downloaded = planOf("kind: BaristaApp\nname: t\nmodel_path: s3://models/tiny\n", 40000);
    assertEquals(List.of("barista", "serve", "s3://models/tiny", "--served-model-name", "tiny", "--port", "40000"),
        downloaded.argv());
    assertNull(downloaded.download());
  }

  @Test
  void baristaModelPathResolvesAgainstTheFile() {
    LaunchPlan p = plan("barista-path.yaml", 40000);
    String model = resource("barista-path.yaml").getParent().getParent().resolve("models/tiny").toString();
    assertEquals(List.of("barista", "serve", model, "--served-model-name", "tiny-qwen3", "--port", "40000",
        "--load-format", "dummy"), p.argv());
    assertEquals(Map.of("PORT", "40000"), p.env());
  }

  @Test
  void flytekitVllmFormFromYaml() {
    LaunchPlan p = plan("flytekit-vllm.yaml", 8000);
    assertEquals(List.of("vllm", "serve", "google/gemma-2b-it", "--port", "8000", "--dtype", "half",
        "--max-model-len", "2000", "--enforce-eager"), p.argv());
    assertEquals(Map.of("PORT", "8000", "HF_TOKEN", "hf_secret_2", "HUGGING_FACE_HUB_TOKEN", "hf_secret_2"), p.env());
  }

  @Test
  void flytekitVllmFormFromJavaKeepsItsDefaults() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("model", "google/gemma-2b-it");
    args.put("served-model-name", "gemma");
    FlytekitVllm app = FlytekitVllm.of("gemma", new HFSecret("_FSEC_", "hf", "token"), args, null, "/ready", null, null, null, null);
    assertEquals("vllm/vllm-openai", app.spec().image());
    assertEquals(8000, app.spec().getPort());
    assertEquals("2", app.spec().resources().cpu());
    assertEquals("10Gi", app.spec().resources().memory());
    assertEquals(1, app.spec().resources().gpuCount());
    LaunchPlan p = app.launchPlan(8000, name -> name.equals("hf/token") ? "t0k" : null);
    assertEquals(List.of("vllm", "serve", "google/gemma-2b-it", "--port", "8000", "--served-model-name", "gemma"), p.argv());
    assertEquals("t0k", p.env().get("HUGGING_FACE_HUB_TOKEN"));
    assertEquals("/ready", p.probe().path());
    assertEquals(List.of("gemma"), app.servedModels());
  }

  @Test
  void javaBuilderMatchesYaml() {
    VllmApp app = VllmApp.builder("qwen3-vllm")
        .modelHfPath("Qwen/Qwen3-0.6B").modelId("qwen3-0.6b")
        .extraArgs(List.of("--max-model-len", "8192"))
        .app(b -> b.replicas(0, 1))
        .build();
    assertEquals(List.of("vllm", "serve", "Qwen/Qwen3-0.6B", "--served-model-name", "qwen3-0.6b", "--port", "8080",
        "--max-model-len", "8192"), app.launchPlan(app.spec().getPort(), SECRETS).argv());
  }
}
