package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.apps.engine.EngineApp;
import dev.barista.apps.engine.EngineSettings;
import dev.barista.apps.engine.ModelSource;
import dev.barista.apps.engine.StoredModelCheck;
import dev.barista.apps.engine.VllmApp;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.spec.Scaling;
import dev.barista.apps.yaml.AppFileReader;
import dev.barista.hub.shard.ShardManifest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One test per validation error: each names the field and says what is wrong. */
class ValidationErrorTest {
  private static final String BARISTA = "kind: BaristaApp\nname: a\nmodel_hf_path: Qwen/Qwen3-0.6B\n";

  private static AppValidationException fails(String yaml) {
    return assertThrows(AppValidationException.class, () -> AppFileReader.parse(yaml, Path.of("/tmp"), "app.yaml"));
  }

  private static void check(AppValidationException e, String field, String... fragments) {
    assertEquals(field, e.field(), e.getMessage());
    for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
  }

  @Test
  void unknownFieldSuggestsTheClosestKnownOne() {
    check(fails(BARISTA + "scalling: {replicas: [0, 1]}\n"), "scalling", "app.yaml: app 'a'", "unknown field", "did you mean 'scaling'");
  }

  @Test
  void unknownNestedField() {
    check(fails(BARISTA + "scaling: {replicas: [0, 1], scale_down_after: 5}\n"), "scaling.scale_down_after", "unknown field");
  }

  @Test
  void minReplicasAboveMax() {
    check(fails(BARISTA + "scaling: {replicas: [3, 2]}\n"), "scaling.replicas", "min (3) > max (2)");
  }

  @Test
  void negativeMinReplicas() {
    check(assertThrows(AppValidationException.class, () -> Scaling.replicas(-1, 2)), "scaling.replicas", "min must be >= 0");
  }

  @Test
  void zeroMaxReplicas() {
    check(fails(BARISTA + "scaling: {replicas: [0, 0]}\n"), "scaling.replicas", "max must be >= 1");
  }

  @Test
  void reservedPort() {
    check(fails(BARISTA + "port: 9090\n"), "port", "9090 is reserved");
  }

  @Test
  void portOutOfRange() {
    check(fails(BARISTA + "port: 70000\n"), "port", "not a TCP port");
  }

  @Test
  void portClashesWithExtraArgs() {
    check(fails(BARISTA + "extra_args: --port=9000\n"), "extra_args", "--port is generated");
  }

  @Test
  void noModel() {
    check(fails("kind: VllmApp\nname: a\n"), "model_hf_path", "no model");
  }

  @Test
  void twoModels() {
    check(fails(BARISTA + "model_path: /m\n"), "model_path", "not both");
  }

  @Test
  void modelPathInAnUnsupportedStore() {
    check(fails("kind: VllmApp\nname: a\nmodel_path: gs://bucket/qwen\n"), "model_path", "gs://bucket/qwen",
        "supported are local folders, file:// and s3:// URIs");
  }

  @Test
  void modelPathWithABadBucketName() {
    check(fails("kind: VllmApp\nname: a\nmodel_path: s3://Bad_Bucket/qwen\n"), "model_path", "not an s3://BUCKET/PREFIX URI");
  }

  /** A folder as {@code barista prefetch hf --shard tp=2} leaves it (only the manifest matters here). */
  private static Path shardedForTwo() throws java.io.IOException {
    Path dir = java.nio.file.Files.createTempDirectory("sharded");
    new ShardManifest(ShardManifest.FORMAT, 2, -1, java.util.List.of("rank-0", "rank-1"), "acme/m@main", java.util.Map.of())
        .write(dir);
    return dir;
  }

  private static AppValidationException failsAtDeploy(String yaml) {
    EngineApp app = (EngineApp) AppFileReader.parse(yaml, Path.of("/tmp"), "app.yaml").get(0);
    java.util.Map<String, String> replicaEnv = app.launchPlan(8080, name -> null).env();
    return assertThrows(AppValidationException.class, () -> StoredModelCheck.check(app, replicaEnv));
  }

  @Test
  void shardedModelWithAnotherTensorParallelSize() throws Exception {
    Path dir = shardedForTwo();
    check(failsAtDeploy("kind: BaristaApp\nname: a\nmodel_path: " + dir + "\n"), "model_path",
        "sharded for tensor_parallel_size=2 and cannot be loaded with tensor_parallel_size=1", "--tensor-parallel-size 2");
    check(failsAtDeploy("kind: VllmApp\nname: a\nmodel_path: " + dir.toUri() + "\nresources: {gpu: 'L4:4'}\n"
        + "extra_args: --tensor-parallel-size 4\n"), "model_path", "cannot be loaded with tensor_parallel_size=4");
    // the degree it was made for passes
    EngineApp matching = (EngineApp) AppFileReader.parse("kind: BaristaApp\nname: a\nmodel_path: " + dir
        + "\nresources: {gpu: 'L4:2'}\nextra_args: --tensor-parallel-size 2\n", Path.of("/tmp"), "app.yaml").get(0);
    StoredModelCheck.check(matching, java.util.Map.of());
  }

  @Test
  void shardedModelForVllm() throws Exception {
    Path dir = shardedForTwo();
    check(failsAtDeploy("kind: VllmApp\nname: a\nmodel_path: " + dir + "\nresources: {gpu: 'L4:2'}\n"
        + "extra_args: --tensor-parallel-size 2\n"), "model_path", "only Barista loads", "prefetch without --shard");
  }

  @Test
  void unreadableModelStore() {
    // nothing listens on port 9: the store cannot be read, so the deploy fails rather than every replica
    check(failsAtDeploy("kind: BaristaApp\nname: a\nmodel_path: s3://models/qwen\nenv_vars: {AWS_ENDPOINT_URL: 'http://127.0.0.1:9',"
        + " AWS_ACCESS_KEY_ID: k, AWS_SECRET_ACCESS_KEY: s}\n"), "model_path", "s3://models/qwen: cannot read the model");
  }

  @Test
  void badHuggingFaceRepoId() {
    check(fails("kind: VllmApp\nname: a\nmodel_hf_path: 'not a repo'\n"), "model_hf_path", "not a Hugging Face repo id");
  }

  @Test
  void extraArgsRepeatAGeneratedFlag() {
    check(fails(BARISTA + "extra_args: [--served-model-name, x]\n"), "extra_args", "--served-model-name is generated");
  }

  @Test
  void extraArgsRepeatTheModel() {
    check(fails("kind: SglangApp\nname: a\nmodel_hf_path: Qwen/Qwen3-0.6B\nextra_args: --model-path /x\n"), "extra_args", "--model-path");
  }

  @Test
  void gpuCountDiffersFromTensorParallelSize() {
    check(fails("kind: VllmApp\nname: a\nmodel_hf_path: Qwen/Qwen3-0.6B\nresources: {gpu: 'H100:2'}\nextra_args: --tensor-parallel-size 4\n"),
        "extra_args", "tensor-parallel size 4 differs from the GPU count 2");
  }

  @Test
  void tensorParallelWithoutGpus() {
    check(fails("kind: VllmApp\nname: a\nmodel_hf_path: Qwen/Qwen3-0.6B\nextra_args: -tp 2\n"), "extra_args", "needs resources.gpu");
  }

  @Test
  void flytekitArgDictTensorParallelDiffersFromGpu() {
    check(fails("kind: VLLM\nname: a\nhf_secret: {secrets_prefix: _U_, hf_token_key: k}\ngpu: 1\narg_dict: {model: m, tensor-parallel-size: 2}\n"),
        "arg_dict.tensor-parallel-size", "differs from the GPU count 1");
  }

  @Test
  void flytekitWithoutModel() {
    check(fails("kind: VLLM\nname: a\nhf_secret: {secrets_prefix: _U_, hf_token_key: k}\narg_dict: {dtype: half}\n"), "arg_dict.model", "no model");
  }

  @Test
  void flytekitWithoutHfSecret() {
    check(fails("kind: VLLM\nname: a\narg_dict: {model: m}\n"), "hf_secret", "needs an hf_secret");
  }

  @Test
  void badGpuSpec() {
    check(fails(BARISTA + "resources: {gpu: 'L40s:x'}\n"), "resources.gpu", "TYPE:COUNT");
  }

  @Test
  void badMemoryQuantity() {
    check(fails(BARISTA + "resources: {memory: 16GB}\n"), "resources.memory", "not a size");
  }

  @Test
  void badCpuQuantity() {
    check(fails(BARISTA + "resources: {cpu: lots}\n"), "resources.cpu", "not a CPU quantity");
  }

  @Test
  void badDuration() {
    check(fails(BARISTA + "scaling: {scaledown_after: soon}\n"), "scaling.scaledown_after", "not a duration");
  }

  @Test
  void nonPositiveMetricTarget() {
    check(fails(BARISTA + "scaling: {metric: {concurrency: 0}}\n"), "scaling.metric", "at least 1");
  }

  @Test
  void twoMetrics() {
    check(fails(BARISTA + "scaling: {metric: {concurrency: 2, request_rate: 5}}\n"), "scaling.metric", "exactly one");
  }

  @Test
  void requestTimeoutZero() {
    check(fails(BARISTA + "request_timeout: 0s\n"), "request_timeout", "between 1ms and 24h");
  }

  @Test
  void missingName() {
    check(fails("kind: BaristaApp\nmodel_hf_path: Qwen/Qwen3-0.6B\n"), "name", "needs a name");
  }

  @Test
  void nameNotAHostLabel() {
    check(fails("kind: BaristaApp\nname: My_App\nmodel_hf_path: Qwen/Qwen3-0.6B\n"), "name", "lowercase letters");
  }

  @Test
  void unknownKind() {
    check(fails("kind: TritonApp\nname: a\n"), "kind", "not an app kind");
  }

  @Test
  void wrongType() {
    check(fails(BARISTA + "port: eighty\n"), "port", "expected an integer");
  }

  @Test
  void unclosedQuoteInExtraArgs() {
    check(fails(BARISTA + "extra_args: \"--chat-template 'x\"\n"), "extra_args", "unclosed ' quote");
  }

  @Test
  void engineAppWithCommand() {
    check(fails(BARISTA + "command: [python, app.py]\n"), "command", "use extra_args");
  }

  @Test
  void sglangCannotStreamTheModel() {
    check(fails("kind: SglangApp\nname: a\nmodel_hf_path: Qwen/Qwen3-0.6B\nstream_model: true\n"), "stream_model", "cannot stream");
  }

  @Test
  void envVarSetTwice() {
    check(fails(BARISTA + "env_vars: {HF_TOKEN: x}\nsecrets: [{key: hf, env_var: HF_TOKEN}]\n"), "env_vars", "HF_TOKEN is set by both");
  }

  @Test
  void badEnvVarName() {
    check(fails(BARISTA + "env_vars: {'1BAD': x}\n"), "env_vars.1BAD", "not an environment variable name");
  }

  @Test
  void dependsOnItself() {
    check(fails(BARISTA + "depends_on: [a]\n"), "depends_on", "cannot depend on itself");
  }

  @Test
  void dependencyCycleAcrossApps() {
    check(fails("name: a\ncommand: [x]\ndepends_on: [b]\n---\nname: b\ncommand: [x]\ndepends_on: [a]\n"), "depends_on", "dependency cycle");
  }

  @Test
  void twoAppsWithOneName() {
    check(fails("name: a\ncommand: [x]\n---\nname: a\ncommand: [y]\n"), "name", "two apps are named 'a'");
  }

  @Test
  void twoAppsOnOneHost() {
    check(fails("name: a\ncommand: [x]\nsubdomain: chat\n---\nname: b\ncommand: [y]\nsubdomain: chat\n"), "subdomain", "route the same host");
  }

  @Test
  void badCustomDomain() {
    check(fails(BARISTA + "custom_domain: 'not a host!'\n"), "custom_domain", "not a host name");
  }

  @Test
  void includeMissingFile() {
    check(fails(BARISTA + "include: [no-such-file.py]\n"), "include", "does not exist");
  }

  @Test
  void invalidYaml() {
    AppValidationException e = fails("name: [unclosed\n");
    assertTrue(e.getMessage().startsWith("app.yaml: not valid YAML"), e.getMessage());
  }

  @Test
  void emptyFile() {
    assertTrue(fails("# nothing\n").getMessage().contains("no apps in the file"));
  }

  @Test
  void javaBuilderValidatesToo() {
    AppValidationException e = assertThrows(AppValidationException.class,
        () -> VllmApp.builder("a").modelHfPath("Qwen/Qwen3-0.6B").app(b -> b.replicas(2, 1)).build());
    check(e, "scaling.replicas", "min (2) > max (1)");
    assertThrows(AppValidationException.class, () -> new VllmApp(AppSpec.builder("a").build(),
        new EngineSettings(ModelSource.hf("Qwen/Qwen3-0.6B"), null, false, java.util.List.of("--port", "1"))));
  }
}
