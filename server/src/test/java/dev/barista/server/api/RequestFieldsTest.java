package dev.barista.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

  private static RequestFields parse(String json) {
    return new RequestFields(Json.parseObject(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void wrongTypesAreRefusedNamingTheField() {
    RequestFields f = parse("{\"max_tokens\": \"5\", \"n\": 1.5, \"stream\": 1, \"stop\": 3,"
        + " \"msgs\": [{\"x\": {\"y\": true}}]}");
    assertEquals("max_tokens", assertThrows(ApiException.class, () -> f.integer("max_tokens"))
        .param());
    assertEquals("n", assertThrows(ApiException.class, () -> f.integer("n")).param());
    assertEquals("stream", assertThrows(ApiException.class, () -> f.bool("stream")).param());
    assertEquals("stop", assertThrows(ApiException.class, () -> f.stringOrList("stop")).param());
    RequestFields inner = f.objectList("msgs").get(0).object("x");
    assertEquals("msgs[0].x.y", assertThrows(ApiException.class, () -> inner.string("y")).param());
  }

  @Test
  void nullAndAbsentReadAsNull() {
    RequestFields f = parse("{\"a\": null}");
    assertNull(f.integer("a"));
    assertNull(f.integer("b"));
    assertEquals(List.of("x"), parse("{\"s\": \"x\"}").stringOrList("s"));
  }

  @Test
  void bodyMustBeOneObject() {
    for (String bad : new String[] {"[1]", "nope", "{\"a\": 1} {\"b\": 2}", "", "{"}) {
      ApiException e = assertThrows(ApiException.class,
          () -> Json.parseObject(bad.getBytes(StandardCharsets.UTF_8)), bad);
      assertEquals(400, e.status());
    }
  }
}
