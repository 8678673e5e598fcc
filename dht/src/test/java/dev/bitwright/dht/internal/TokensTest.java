package dev.bitwright.dht.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokensTest {
  private static final long ROTATION = Tokens.ROTATION_SECONDS * 1_000_000_000L;

  @Test
  void aTokenIsTiedToTheIpAndLivesTwoRotations() throws Exception {
    long t0 = -7_000_000_000L;
    Tokens tokens = new Tokens(new SplittableRandom(5), t0);
    InetAddress ip = InetAddress.getByName("192.0.2.1");
    InetAddress other = InetAddress.getByName("192.0.2.2");
    byte[] token = tokens.tokenFor(ip);

    assertThat(token).hasSize(8);
    assertThat(tokens.isValid(token, ip)).isTrue();
    assertThat(tokens.isValid(token, other)).isFalse();
    assertThat(tokens.isValid(new byte[0], ip)).isFalse();

    assertThat(tokens.rotate(t0 + ROTATION - 1)).isEqualTo(t0 + ROTATION);
    assertThat(tokens.tokenFor(ip)).isEqualTo(token);
    tokens.rotate(t0 + ROTATION);
    assertThat(tokens.tokenFor(ip)).isNotEqualTo(token);
    assertThat(tokens.isValid(token, ip)).isTrue();
    tokens.rotate(t0 + 2 * ROTATION);
    assertThat(tokens.isValid(token, ip)).isFalse();
  }
}
