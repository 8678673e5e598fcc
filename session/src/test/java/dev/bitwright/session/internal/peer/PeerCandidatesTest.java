package dev.bitwright.session.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.PeerSource;
import dev.bitwright.wire.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PeerCandidatesTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_000 * SECOND;

  private static InetSocketAddress address(int host, int port) {
    try {
      InetAddress ip =
          InetAddress.getByAddress(new byte[] {10, 0, (byte) (host >> 8), (byte) host});
      return new InetSocketAddress(ip, port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void addressesAreKeptOnceAndHandedOutOnce() {
    PeerCandidates candidates = new PeerCandidates();
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    candidates.add(address(1, 6882), PeerSource.TRACKER);
    candidates.add(InetSocketAddress.createUnresolved("peer.example", 6881), PeerSource.TRACKER);
    candidates.add(address(2, 0), PeerSource.TRACKER);
    assertThat(candidates.size()).isEqualTo(2);
    assertThat(candidates.take(10, T0)).containsExactly(address(1, 6881), address(1, 6882));
    assertThat(candidates.take(10, T0)).as("in use").isEmpty();
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    assertThat(candidates.take(10, T0)).isEmpty();
  }

  @Test
  void takeHandsOutAtMostTheCountAskedInOrder() {
    PeerCandidates candidates = new PeerCandidates();
    for (int i = 1; i <= 5; i++) {
      candidates.add(address(i, 6881), PeerSource.TRACKER);
    }
    assertThat(candidates.take(2, T0)).containsExactly(address(1, 6881), address(2, 6881));
    assertThat(candidates.take(0, T0)).isEmpty();
    assertThat(candidates.take(5, T0))
        .containsExactly(address(3, 6881), address(4, 6881), address(5, 6881));
  }

  @Test
  void failuresBackOffDoublingUpToThirtyMinutes() {
    PeerCandidates candidates = new PeerCandidates();
    InetSocketAddress a = address(1, 6881);
    candidates.add(a, PeerSource.TRACKER);
    long now = T0;
    long[] expected = {10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800, 1800};
    for (long seconds : expected) {
      assertThat(candidates.take(1, now)).containsExactly(a);
      candidates.released(a, true, now);
      long wait = seconds * SECOND;
      assertThat(candidates.take(1, now + wait - 1)).as("%d s back-off", seconds).isEmpty();
      now += wait;
    }
    for (int i = 0; i < 40; i++) { // no overflow however often it fails
      assertThat(candidates.take(1, now)).containsExactly(a);
      candidates.released(a, true, now);
      now += 1800 * SECOND;
    }
  }

  @Test
  void aConnectionThatWorkedResetsTheBackOff() {
    PeerCandidates candidates = new PeerCandidates();
    InetSocketAddress a = address(1, 6881);
    candidates.add(a, PeerSource.TRACKER);
    long now = T0;
    for (int i = 0; i < 4; i++) {
      candidates.take(1, now);
      candidates.released(a, true, now);
      now += 1800 * SECOND;
    }
    assertThat(candidates.take(1, now)).containsExactly(a);
    candidates.released(a, false, now);
    assertThat(candidates.take(1, now + 10 * SECOND - 1)).isEmpty();
    assertThat(candidates.take(1, now + 10 * SECOND)).containsExactly(a);
    candidates.released(a, true, now + 10 * SECOND);
    assertThat(candidates.take(1, now + 20 * SECOND)).as("10 s again").containsExactly(a);
  }

  @Test
  void inUseAndReleaseOfUnknownAddresses() {
    PeerCandidates candidates = new PeerCandidates();
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    candidates.inUse(address(1, 6881));
    candidates.inUse(address(9, 6881));
    candidates.released(address(9, 6881), true, T0);
    assertThat(candidates.take(5, T0)).isEmpty();
    assertThat(candidates.size()).isEqualTo(1);
  }

  private static PeerKey peer(int host, int id) {
    return new PeerKey(address(host, 1).getAddress(), PeerId.generate(new SplittableRandom(id)));
  }

  /** Peers behind one address (a NAT, a VPN exit) are banned one by one, not all at once. */
  @Test
  void aBanKeepsThePeerOutButNotOthersOfItsAddress() {
    PeerCandidates candidates = new PeerCandidates();
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    candidates.add(address(1, 6882), PeerSource.TRACKER);
    candidates.ban(peer(1, 1), address(1, 6881));
    assertThat(candidates.isBanned(peer(1, 1))).isTrue();
    assertThat(candidates.isBanned(peer(1, 2))).isFalse();
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    assertThat(candidates.take(10, T0)).containsExactly(address(1, 6882));
  }

  /** A liar reconnecting under new peer ids loses its whole address after a few bans. */
  @Test
  void enoughBansOnOneAddressBanTheAddress() {
    PeerCandidates candidates = new PeerCandidates();
    candidates.add(address(1, 6881), PeerSource.TRACKER);
    candidates.add(address(2, 6881), PeerSource.TRACKER);
    for (int id = 0; id < PeerCandidates.BANS_PER_ADDRESS; id++) {
      assertThat(candidates.isBanned(peer(1, 100))).isFalse();
      candidates.ban(peer(1, id), null);
    }
    assertThat(candidates.isBanned(peer(1, 100))).isTrue();
    assertThat(candidates.isBanned(peer(2, 100))).isFalse();
    candidates.add(address(1, 7000), PeerSource.TRACKER);
    assertThat(candidates.take(10, T0)).containsExactly(address(2, 6881));
  }

  @Test
  void atTheCapTheOldestUnusedAddressMakesRoom() {
    PeerCandidates candidates = new PeerCandidates();
    for (int i = 0; i < PeerCandidates.MAX; i++) {
      candidates.add(address(i, 6881), PeerSource.TRACKER);
    }
    assertThat(candidates.take(3, T0)).hasSize(3); // 0, 1, 2 are in use
    candidates.add(address(1, 6881), PeerSource.TRACKER); // known: nothing changes
    assertThat(candidates.size()).isEqualTo(PeerCandidates.MAX);
    candidates.add(address(5000, 6881), PeerSource.TRACKER);
    candidates.add(address(5001, 6881), PeerSource.TRACKER);
    assertThat(candidates.size()).isEqualTo(PeerCandidates.MAX);
    List<InetSocketAddress> rest = candidates.take(PeerCandidates.MAX, T0);
    assertThat(rest)
        .hasSize(PeerCandidates.MAX - 3)
        .doesNotContain(address(0, 6881), address(3, 6881), address(4, 6881))
        .contains(address(5, 6881), address(5000, 6881), address(5001, 6881));
    // the in-use ones stayed
    candidates.released(address(0, 6881), false, T0);
    assertThat(candidates.take(1, T0 + 10 * SECOND)).containsExactly(address(0, 6881));
  }

  @Test
  void aManualAddOrARestartLiftsTheBackOffOfPeersThatWorked() {
    PeerCandidates candidates = new PeerCandidates();
    InetSocketAddress worked = address(1, 6881);
    InetSocketAddress failed = address(2, 6881);
    candidates.add(worked, PeerSource.TRACKER);
    candidates.add(failed, PeerSource.TRACKER);
    candidates.take(10, T0);
    candidates.released(worked, false, T0);
    candidates.released(failed, true, T0);
    assertThat(candidates.take(10, T0 + SECOND)).as("both back off").isEmpty();

    candidates.restarted(T0 + SECOND);
    assertThat(candidates.take(10, T0 + SECOND))
        .as("only the one that worked")
        .containsExactly(worked);

    candidates.retryNow(failed, T0 + 2 * SECOND);
    assertThat(candidates.take(10, T0 + 2 * SECOND)).containsExactly(failed);
  }

  @Test
  void aCandidateKeepsWhereItWasFirstLearntOf() {
    PeerCandidates candidates = new PeerCandidates();
    candidates.add(address(1, 6881), PeerSource.DHT);
    candidates.add(address(1, 6881), PeerSource.PEX);
    assertThat(candidates.sourceOf(address(1, 6881))).hasValue(PeerSource.DHT);
    assertThat(candidates.sourceOf(address(2, 6881))).isEmpty();
  }
}
