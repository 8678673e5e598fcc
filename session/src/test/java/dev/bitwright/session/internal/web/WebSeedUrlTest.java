package dev.bitwright.session.internal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class WebSeedUrlTest {
  @Test
  void aSingleFileTorrentsWebSeedIsTheFileItself() {
    URI base = URI.create("http://cdn.example/patch/game.pak");
    assertThat(WebSeedUrl.fileUrl(base, false, "game.pak", List.of("game.pak"))).isEqualTo(base);
  }

  @Test
  void aMultiFileTorrentsWebSeedIsTheFolderAboveTheTorrentsFolder() {
    assertThat(
            WebSeedUrl.fileUrl(
                URI.create("http://cdn.example/seeds"), true, "My Game", List.of("data", "a.bin")))
        .hasToString("http://cdn.example/seeds/My%20Game/data/a.bin");
    assertThat(
            WebSeedUrl.fileUrl(
                URI.create("http://cdn.example/seeds/"), true, "My Game", List.of("a.bin")))
        .hasToString("http://cdn.example/seeds/My%20Game/a.bin");
  }

  @Test
  void everyCharacterButTheUnreservedIsPercentEncodedAsUtf8() {
    assertThat(
            WebSeedUrl.fileUrl(
                URI.create("https://h/s/"), true, "n", List.of("a#b %c?d&e+f/g", "é~_-.txt")))
        .hasToString("https://h/s/n/a%23b%20%25c%3Fd%26e%2Bf%2Fg/%C3%A9~_-.txt");
  }

  @Property
  void anEncodedSegmentDecodesToItself(@ForAll String segment) {
    StringBuilder encoded = new StringBuilder();
    WebSeedUrl.encodeSegment(segment, encoded);
    assertThat(encoded.toString()).matches("[A-Za-z0-9._~%-]*");
    String decoded =
        java.net.URLDecoder.decode(
            encoded.toString().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(decoded)
        .isEqualTo(
            new String(
                segment.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8));
  }
}
