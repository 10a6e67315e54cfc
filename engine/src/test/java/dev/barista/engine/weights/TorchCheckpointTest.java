package dev.barista.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.model.LayerWeights;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.LoadedModel;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.testing.ReferenceModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch checkpoints written by torch.save on the GPU machine (cuda/gpu/torch_checkpoints.py):
 * tiny-gpt2 in bf16 (its LM head shares the embedding's storage) and tiny-opt in two f16 shards.
 * Every tensor must equal its safetensors twin in the reference model folder.
 */
class TorchCheckpointTest {
  @TempDir Path tmp;

  private static Path torchFolder(String name) {
    return ReferenceModel.folder("tiny-llama").getParent().getParent().resolve("torch").resolve(name);
  }

  @Test
  void aBf16CheckpointGivesTheSafetensorsTensorsBitForBit() {
    try (LoadedModel bin = ModelLoader.loadModel(torchFolder("tiny-gpt2-bin"), LoadOptions.auto());
        LoadedModel st = ModelLoader.loadModel(ReferenceModel.folder("tiny-gpt2"), LoadOptions.auto())) {
      List<Tensor[]> pairs = pairs(bin, st);
      assertTrue(pairs.size() > 20);
      for (Tensor[] p : pairs) {
        assertEquals(p[1].dtype(), p[0].dtype(), p[1].name());
        for (long i = 0; i < p[1].numElements(); i++) {
          assertEquals(p[1].get(i), p[0].get(i), p[1].name() + " element " + i);
        }
      }
    }
  }

  @Test
  void float16ShardsHoldTheBf16ValuesRoundedToHalfPrecision() {
    try (LoadedModel bin = ModelLoader.loadModel(torchFolder("tiny-opt-bin-sharded"), LoadOptions.auto());
        LoadedModel st = ModelLoader.loadModel(ReferenceModel.folder("tiny-opt"), LoadOptions.auto())) {
      for (Tensor[] p : pairs(bin, st)) {
        assertEquals(DType.F16, p[0].dtype(), p[0].name());
        for (long i = 0; i < p[1].numElements(); i++) {
          float want = Float.float16ToFloat(Float.floatToFloat16(p[1].get(i)));
          assertEquals(want, p[0].get(i), p[1].name() + " element " + i);
        }
      }
    }
  }

  @Test
  void aFileThatIsNotAZipArchiveIsRefusedByName() throws IOException {
    Path bad = tmp.resolve("pytorch_model.bin");
    Files.writeString(bad, "not a checkpoint");
    TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.open(bad));
    assertTrue(e.getMessage().contains("not a zip archive"), e.getMessage());
  }

  @Test
  void aPickleNamingAnythingButStateDictClassesIsRefusedWithoutRunningIt() throws IOException {
    // protocol 2: GLOBAL os.system, the string "true", TUPLE1, REDUCE, STOP
    byte[] pkl = ("\u0080\u0002cos\nsystem\nX\u0004\u0000\u0000\u0000true\u0085R.").getBytes(StandardCharsets.ISO_8859_1);
    Path file = tmp.resolve("evil.bin");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl"));
      zip.write(pkl);
      zip.closeEntry();
    }
    TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.open(file));
    assertTrue(e.getMessage().contains("os.system"), e.getMessage());
  }

  /** Each tensor of the checkpoint-loaded model beside the same tensor loaded from safetensors. */
  private static List<Tensor[]> pairs(LoadedModel a, LoadedModel b) {
    List<Tensor[]> out = new ArrayList<>();
    out.add(new Tensor[] {a.weights().embedding(), b.weights().embedding()});
    out.add(new Tensor[] {a.weights().positionEmbedding(), b.weights().positionEmbedding()});
    out.add(new Tensor[] {a.weights().finalNorm(), b.weights().finalNorm()});
    out.add(new Tensor[] {a.weights().finalNormBias(), b.weights().finalNormBias()});
    out.add(new Tensor[] {a.weights().lmHead(), b.weights().lmHead()});
    for (int l = 0; l < a.weights().layers().size(); l++) {
      LayerWeights x = a.weights().layers().get(l);
      LayerWeights y = b.weights().layers().get(l);
      Tensor[][] t = {{x.q(), y.q()}, {x.k(), y.k()}, {x.v(), y.v()}, {x.o(), y.o()}, {x.qBias(), y.qBias()},
          {x.oBias(), y.oBias()}, {x.up(), y.up()}, {x.down(), y.down()}, {x.upBias(), y.upBias()},
          {x.downBias(), y.downBias()}, {x.inputNorm(), y.inputNorm()}, {x.inputNormBias(), y.inputNormBias()},
          {x.postAttentionNorm(), y.postAttentionNorm()}, {x.postAttentionNormBias(), y.postAttentionNormBias()}};
      for (Tensor[] p : t) out.add(p);
    }
    return out;
  }
}
