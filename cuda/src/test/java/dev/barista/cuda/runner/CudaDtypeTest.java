package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.InvalidParameterException;
import org.junit.jupiter.api.Test;

/** --dtype picks the CUDA runner's math; the f32 mode sizes the KV cache for 4-byte values. */
class CudaDtypeTest {
  @Test
  void float32SelectsTheF32MathMode() {
    assertTrue(CudaRunnerProvider.f32Math("float32"));
    assertTrue(CudaRunnerProvider.f32Math("FLOAT"));
    assertFalse(CudaRunnerProvider.f32Math("auto"));
    assertFalse(CudaRunnerProvider.f32Math(null));
    assertFalse(CudaRunnerProvider.f32Math("bfloat16"));
  }

  @Test
  void float16IsRefusedNamingTheField() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> CudaRunnerProvider.f32Math("float16"));
    assertTrue(e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void f32CacheBlocksTakeTwiceTheBytes() {
    assertEquals(2 * 2 * 16 * 8 * 128, DeviceKvCache.bytesPerBlockPerLayer(16, 8, 128));
    assertEquals(2 * 4 * 16 * 8 * 128, DeviceKvCache.bytesPerBlockPerLayer(16, 8, 128, 4));
  }
}
