package dev.bitwright.dht.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The per-source rate limiter and the external address vote. */
class AbuseLimitsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aSourceGetsABurstOfTwiceTheRateThenTheRate() throws Exception {
    SourceRateLimiter limiter = new SourceRateLimiter(10, 100);
    InetAddress ip = InetAddress.getByName("192.0.2.7");
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      allowed += limiter.tryAcquire(ip, 0) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(20);
    assertThat(limiter.tryAcquire(InetAddress.getByName("192.0.2.8"), 0)).isTrue();
    allowed = 0;
    for (int i = 0; i < 100; i++) {
      allowed += limiter.tryAcquire(ip, SECOND) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(10);
  }

  @Test
  void rememberedSourcesAreBounded() throws Exception {
    SourceRateLimiter limiter = new SourceRateLimiter(10, 50);
    for (int i = 0; i < 1000; i++) {
      limiter.tryAcquire(InetAddress.getByAddress(new byte[] {1, 2, (byte) (i >> 8), (byte) i}), 0);
    }
    assertThat(limiter.trackedSources()).isEqualTo(50);
  }

  @Test
  void theExternalAddressNeedsThreeVotersAndAMajority() throws Exception {
    ExternalAddressVote vote = new ExternalAddressVote();
    InetAddress mine = InetAddress.getByName("203.0.113.5");
    InetAddress liar = InetAddress.getByName("198.51.100.1");
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1);
    InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 1);
    InetSocketAddress c = new InetSocketAddress(InetAddress.getByName("192.0.2.3"), 1);
    InetSocketAddress d = new InetSocketAddress(InetAddress.getByName("192.0.2.4"), 1);
    assertThat(vote.vote(a, mine)).isEmpty();
    assertThat(vote.vote(a, mine)).isEmpty();
    assertThat(vote.vote(a, mine)).isEmpty();
    assertThat(vote.vote(b, mine)).isEmpty();
    assertThat(vote.vote(c, liar)).isEmpty();
    assertThat(vote.vote(d, mine)).contains(mine);
  }
}
