package dev.bitwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesNestedValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\n\t\u0001");
    m.put("n", 42L);
    m.put("b", true);
    m.put("z", null);
    m.put("l", Arrays.asList(1, "x", null, List.of()));
    assertThat(Json.write(m))
        .isEqualTo(
            "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"n\":42,\"b\":true,\"z\":null,"
                + "\"l\":[1,\"x\",null,[]]}");
  }

  @Test
  void keepsUnicodeAndEscapesLoneSurrogates() {
    assertThat(Json.write("grüße 😀")).isEqualTo("\"grüße 😀\"");
    assertThat(Json.write("a\uD800b")).isEqualTo("\"a\\ud800b\"");
  }
}
