package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InfoHashesTest {
  private static final String V1 = "0123456789abcdef0123456789abcdef01234567";
  private static final String V2 =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  @Test
  void readsWellInALogLine() {
    assertThat(InfoHashes.ofV1(InfoHash.fromHex(V1))).hasToString("v1:" + V1);
    assertThat(InfoHashes.ofV2(InfoHash.fromHex(V2))).hasToString("v2:" + V2);
    assertThat(InfoHashes.ofHybrid(InfoHash.fromHex(V1), InfoHash.fromHex(V2)))
        .hasToString("v1:" + V1 + " v2:" + V2);
  }
}
