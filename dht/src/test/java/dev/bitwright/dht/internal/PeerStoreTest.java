package dev.bitwright.dht.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.dht.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerStoreTest {
  private static final long MINUTE = 60_000_000_000L;
  private final SplittableRandom random = new SplittableRandom(9);

  private static NodeId hash(int n) {
    byte[] b = new byte[20];
    b[0] = (byte) n;
    return NodeId.of(b);
  }

  private static InetSocketAddress peer(int n) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n}), 1000);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void perInfoHashCapEvictsTheOldestAnnounce() {
    PeerStore store = new PeerStore(3, 10, 100);
    for (int i = 1; i <= 4; i++) {
      store.announce(hash(1), peer(i), i);
    }
    assertThat(store.peers(hash(1), true, 50, random))
        .containsExactlyInAnyOrder(peer(2), peer(3), peer(4));
    assertThat(store.peerCount()).isEqualTo(3);
    store.announce(hash(1), peer(2), 10);
    store.announce(hash(1), peer(5), 11);
    assertThat(store.peers(hash(1), true, 50, random))
        .containsExactlyInAnyOrder(peer(2), peer(4), peer(5));
  }

  @Test
  void infoHashCapEvictsTheLeastRecentlyAnnounced() {
    PeerStore store = new PeerStore(10, 2, 100);
    store.announce(hash(1), peer(1), 0);
    store.announce(hash(2), peer(2), 0);
    store.announce(hash(1), peer(3), 0);
    store.announce(hash(3), peer(4), 0);
    assertThat(store.contains(hash(2))).isFalse();
    assertThat(store.contains(hash(1))).isTrue();
    assertThat(store.infoHashCount()).isEqualTo(2);
    assertThat(store.peerCount()).isEqualTo(3);
  }

  @Test
  void totalCapIsKept() {
    PeerStore store = new PeerStore(10, 10, 5);
    for (int i = 0; i < 20; i++) {
      store.announce(hash(i % 4), peer(i), 0);
      assertThat(store.peerCount()).isLessThanOrEqualTo(5);
    }
    assertThat(store.peerCount()).isEqualTo(5);
  }

  @Test
  void peersExpireAfterThirtyMinutes() {
    PeerStore store = new PeerStore(10, 10, 100);
    store.announce(hash(1), peer(1), 0);
    store.announce(hash(1), peer(2), 10 * MINUTE);
    store.expire(30 * MINUTE - 1);
    assertThat(store.peerCount()).isEqualTo(2);
    store.expire(30 * MINUTE);
    assertThat(store.peers(hash(1), true, 50, random)).containsExactly(peer(2));
    store.expire(40 * MINUTE);
    assertThat(store.infoHashCount()).isZero();
    assertThat(store.peerCount()).isZero();
  }

  @Test
  void peersOfTheRequestersFamilyAndSamples() throws Exception {
    PeerStore store = new PeerStore(100, 100, 1000);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1);
    store.announce(hash(1), v6, 0);
    store.announce(hash(1), peer(1), 0);
    assertThat(store.peers(hash(1), false, 50, random)).containsExactly(v6);
    assertThat(store.peers(hash(2), true, 50, random)).isEmpty();
    for (int i = 0; i < 60; i++) {
      store.announce(hash(1), peer(i + 2), 0);
      store.announce(hash(10 + i), peer(1), 0);
    }
    assertThat(store.peers(hash(1), true, 50, random)).hasSize(50).doesNotHaveDuplicates();
    assertThat(store.sampleInfoHashes(20, random)).hasSize(20).doesNotHaveDuplicates();
    assertThat(store.sampleInfoHashes(1000, random)).hasSize(61);
  }
}
