package dev.barista.server.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.barista.server.api.ApiException;
import org.junit.jupiter.api.Test;

class ApiKeyCheckTest {

  @Test
  void acceptsOnlyTheBearerKey() {
    ApiKeyCheck check = new ApiKeyCheck("s3cret");
    assertDoesNotThrow(() -> check.check("Bearer s3cret"));
    assertDoesNotThrow(() -> check.check("bearer s3cret"));
    for (String bad : new String[] {null, "", "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret2",
        "s3cret", "Basic s3cret"}) {
      ApiException e = assertThrows(ApiException.class, () -> check.check(bad), String.valueOf(bad));
      assertEquals(401, e.status());
      assertFalse(e.getMessage().contains("s3cret"), "the key must never appear in messages");
    }
  }

  @Test
  void noKeyMeansOpen() {
    ApiKeyCheck check = new ApiKeyCheck(null);
    assertFalse(check.enabled());
    assertDoesNotThrow(() -> check.check(null));
  }
}
