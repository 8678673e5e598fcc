package dev.bitwright.session.internal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The HTTP/1.x response head parser: round trips, and nothing but its one exception on junk. */
class HttpHeadProperties {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static HttpHead parse(String head) throws WebSeedException {
    byte[] b = bytes(head);
    assertThat(HttpHead.endOf(b, b.length)).isEqualTo(b.length);
    return HttpHead.parse(b, b.length);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('-')
        .ofMinLength(1)
        .ofMaxLength(12)
        .filter(n -> !n.equals("content-length"));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40).map(String::strip);
  }

  @Property
  void aHeadOfFieldsRoundTrips(
      @ForAll @IntRange(min = 100, max = 599) int status,
      @ForAll @Size(max = 10) List<@From("names") String> names,
      @ForAll @Size(max = 10) List<@From("values") String> values,
      @ForAll boolean bareLineFeeds)
      throws Exception {
    String eol = bareLineFeeds ? "\n" : "\r\n";
    StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Whatever it says" + eol);
    Map<String, String> expected = new java.util.HashMap<>();
    for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
      String name = names.get(i);
      head.append(name.toUpperCase(java.util.Locale.ROOT))
          .append(": ")
          .append(values.get(i))
          .append(eol);
      expected.merge(name, values.get(i), (a, b) -> a + ", " + b);
    }
    head.append(eol);
    HttpHead parsed = parse(head.toString());
    assertThat(parsed.status()).isEqualTo(status);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat(parsed.field(e.getKey())).hasValue(e.getValue());
    }
  }

  @Property
  void theEndIsFoundWhereverTheBytesAreCut(@ForAll @IntRange(min = 0, max = 60) int cut) {
    byte[] head = bytes("HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\n\r\nbody......");
    int end = head.length - 10;
    int length = Math.min(cut, head.length);
    assertThat(HttpHead.endOf(head, length)).isEqualTo(length >= end ? end : -1);
  }

  @Property(tries = 2000)
  void randomBytesFailOnlyAsABadResponse(@ForAll @Size(max = 300) byte[] junk) {
    byte[] head = new byte[junk.length + 4];
    System.arraycopy(junk, 0, head, 0, junk.length);
    System.arraycopy(bytes("\r\n\r\n"), 0, head, junk.length, 4);
    int end = HttpHead.endOf(head, head.length);
    try {
      HttpHead parsed = HttpHead.parse(head, end);
      parsed.isChunked();
      parsed.contentLength();
      parsed.keepsAlive();
    } catch (WebSeedException e) {
      assertThat(e.kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
    }
  }

  @Property(tries = 2000)
  void mutatedHeadsFailOnlyAsABadResponse(
      @ForAll @IntRange(min = 0, max = 90) int at, @ForAll byte value) {
    byte[] head =
        bytes(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/100\r\n"
                + "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n");
    head[Math.min(at, head.length - 5)] = value;
    int end = HttpHead.endOf(head, head.length);
    if (end < 0) {
      return;
    }
    try {
      HttpHead parsed = HttpHead.parse(head, end);
      parsed.isChunked();
      parsed.contentLength();
    } catch (WebSeedException e) {
      assertThat(e.kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
    }
  }

  @Example
  void malformedHeadsAreRejected() {
    List<String> bad = new ArrayList<>();
    bad.add("HTTP/2 200 OK\r\n\r\n");
    bad.add("HTTP/1.1 20 OK\r\n\r\n");
    bad.add("HTTP/1.1 2000 OK\r\n\r\n");
    bad.add("ICY 200 OK\r\n\r\n");
    bad.add("HTTP/1.1 206 OK\r\nno colon here\r\n\r\n");
    bad.add("HTTP/1.1 206 OK\r\nA: b\r\n folded: line\r\n\r\n");
    bad.add("HTTP/1.1 206 OK\r\nbad name: x\r\n\r\n");
    bad.add("HTTP/1.1 206 OK\r\nA: b\u0000c\r\n\r\n");
    bad.add("HTTP/1.1 206 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
    for (String head : bad) {
      assertThatThrownBy(() -> parse(head))
          .as(head)
          .isInstanceOf(WebSeedException.class)
          .satisfies(
              e ->
                  assertThat(((WebSeedException) e).kind())
                      .isEqualTo(WebSeedException.Kind.BAD_RESPONSE));
    }
  }

  @Example
  void theBoundsAreKept() {
    StringBuilder many = new StringBuilder("HTTP/1.1 206 OK\r\n");
    for (int i = 0; i <= HttpHead.MAX_FIELDS; i++) {
      many.append("X-").append(i).append(": y\r\n");
    }
    assertThatThrownBy(() -> parse(many + "\r\n")).hasMessageContaining("header fields");
    String huge = "HTTP/1.1 206 OK\r\nX: " + "y".repeat(HttpHead.MAX_BYTES) + "\r\n\r\n";
    assertThatThrownBy(() -> parse(huge)).hasMessageContaining("longer than");
  }

  @Example
  void framingAndKeepAliveFollowRfc9112() throws Exception {
    assertThat(parse("HTTP/1.1 206 OK\r\n\r\n").keepsAlive()).isTrue();
    assertThat(parse("HTTP/1.1 206 OK\r\nConnection: close\r\n\r\n").keepsAlive()).isFalse();
    assertThat(parse("HTTP/1.0 206 OK\r\n\r\n").keepsAlive()).isFalse();
    assertThat(parse("HTTP/1.0 206 OK\r\nConnection: Keep-Alive\r\n\r\n").keepsAlive()).isTrue();
    assertThat(parse("HTTP/1.1 206 OK\r\nTransfer-Encoding: chunked\r\n\r\n").isChunked()).isTrue();
    assertThatThrownBy(
            () -> parse("HTTP/1.1 206 OK\r\nTransfer-Encoding: gzip\r\n\r\n").isChunked())
        .isInstanceOf(WebSeedException.class);
    assertThat(parse("HTTP/1.1 206 OK\r\nContent-Length: 123\r\n\r\n").contentLength())
        .isEqualTo(123);
    assertThat(parse("HTTP/1.1 206 OK\r\n\r\n").contentLength()).isEqualTo(-1);
    assertThatThrownBy(() -> parse("HTTP/1.1 206 OK\r\nContent-Length: -1\r\n\r\n").contentLength())
        .isInstanceOf(WebSeedException.class);
    assertThat(parse("HTTP/1.1 206 OK\r\nX-A: 1\r\nx-a: 2\r\n\r\n").field("X-a"))
        .isEqualTo(Optional.of("1, 2"));
  }
}
