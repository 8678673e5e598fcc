package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.wire.PexMessage.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@link PexSender} tells one peer, and when. */
class PexSenderTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private static InetSocketAddress peer(int i) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}), 6881);
  }

  private static Map<InetSocketAddress, Integer> peers(int from, int to) throws Exception {
    Map<InetSocketAddress, Integer> m = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      m.put(peer(i), i & 0x1f);
    }
    return m;
  }

  private static Set<InetSocketAddress> added(PexMessage m) {
    return m.added().stream().map(Peer::address).collect(Collectors.toSet());
  }

  /** Asserts the BEP 11 rules for one message. */
  private static void checkMessage(PexMessage m, int maxAdded) {
    assertThat(m.added().size()).isLessThanOrEqualTo(maxAdded);
    assertThat(m.dropped().size()).isLessThanOrEqualTo(PexSender.MAX_ENTRIES);
    assertThat(m.added()).doesNotHaveDuplicates();
    assertThat(m.dropped()).doesNotHaveDuplicates();
    Set<InetSocketAddress> both = added(m);
    both.retainAll(m.dropped());
    assertThat(both).as("added and dropped in one message").isEmpty();
  }

  @Test
  void theFirstMessageAddsUpTo200AndTheRestFollowAMinuteLater() throws Exception {
    PexSender sender = new PexSender();
    Map<InetSocketAddress, Integer> connected = peers(0, 260);
    long t = 5 * SECOND;
    PexMessage first = sender.nextMessage(connected, t).orElseThrow();
    checkMessage(first, PexSender.MAX_FIRST_ENTRIES);
    assertThat(first.added()).hasSize(PexSender.MAX_FIRST_ENTRIES);
    assertThat(first.dropped()).isEmpty();
    for (Peer p : first.added()) {
      assertThat(p.flags()).isEqualTo(connected.get(p.address()));
    }

    assertThat(sender.nextMessage(connected, t + 59 * SECOND)).isEmpty();
    PexMessage second = sender.nextMessage(connected, t + 60 * SECOND).orElseThrow();
    checkMessage(second, PexSender.MAX_ENTRIES);
    assertThat(second.added()).hasSize(50);
    PexMessage third = sender.nextMessage(connected, t + 120 * SECOND).orElseThrow();
    assertThat(third.added()).hasSize(10);

    Set<InetSocketAddress> all = new HashSet<>(added(first));
    all.addAll(added(second));
    all.addAll(added(third));
    assertThat(all).isEqualTo(connected.keySet());
    assertThat(sender.nextMessage(connected, t + 300 * SECOND)).as("nothing changed").isEmpty();
  }

  @Test
  void changesAreSentAtMost50AtATime() throws Exception {
    PexSender sender = new PexSender();
    long t = 0;
    assertThat(sender.nextMessage(peers(0, 100), t).orElseThrow().added()).hasSize(100);
    Map<InetSocketAddress, Integer> now = peers(70, 180);
    Set<InetSocketAddress> added = new HashSet<>();
    Set<InetSocketAddress> dropped = new HashSet<>();
    int messages = 0;
    for (int minute = 1; minute <= 5; minute++) {
      t += 60 * SECOND;
      Optional<PexMessage> m = sender.nextMessage(now, t);
      if (m.isEmpty()) {
        break;
      }
      messages++;
      checkMessage(m.get(), PexSender.MAX_ENTRIES);
      added.addAll(added(m.get()));
      dropped.addAll(m.get().dropped());
      assertThat(sender.nextMessage(now, t + 30 * SECOND)).isEmpty();
    }
    assertThat(messages).isEqualTo(2);
    assertThat(added).isEqualTo(peers(100, 180).keySet());
    assertThat(dropped).isEqualTo(peers(0, 70).keySet());
  }

  @Test
  void aPeerThatLeavesAndComesBackIsDroppedThenAddedAgain() throws Exception {
    PexSender sender = new PexSender();
    assertThat(sender.nextMessage(peers(0, 3), 0)).isPresent();
    PexMessage drop = sender.nextMessage(peers(0, 2), 60 * SECOND).orElseThrow();
    assertThat(drop.dropped()).containsExactly(peer(2));
    assertThat(drop.added()).isEmpty();
    PexMessage again = sender.nextMessage(peers(0, 3), 120 * SECOND).orElseThrow();
    assertThat(again.added()).containsExactly(new Peer(peer(2), 2));
    assertThat(again.dropped()).isEmpty();
  }

  @Test
  void aPeerThatLeavesAndReturnsBetweenMessagesIsNotMentioned() throws Exception {
    PexSender sender = new PexSender();
    assertThat(sender.nextMessage(peers(0, 3), 0)).isPresent();
    assertThat(sender.nextMessage(peers(0, 2), 10 * SECOND)).isEmpty();
    assertThat(sender.nextMessage(peers(0, 3), 60 * SECOND)).isEmpty();
  }

  @Test
  void nothingToSayDoesNotRestartTheMinute() throws Exception {
    PexSender sender = new PexSender();
    assertThat(sender.nextMessage(peers(0, 1), 0)).isPresent();
    assertThat(sender.nextMessage(peers(0, 1), 100 * SECOND)).isEmpty();
    assertThat(sender.nextMessage(peers(0, 2), 101 * SECOND)).isPresent();
  }

  @Test
  void nothingConnectedSendsNothingAndTheFirstMessageMayStillBeLarge() throws Exception {
    PexSender sender = new PexSender();
    assertThat(sender.nextMessage(Map.of(), 0)).isEmpty();
    PexMessage first = sender.nextMessage(peers(0, 150), SECOND).orElseThrow();
    assertThat(first.added()).hasSize(150);
  }

  @Test
  void unresolvedAddressesAreSkippedAndFlagsAreOneByte() throws Exception {
    PexSender sender = new PexSender();
    Map<InetSocketAddress, Integer> connected = new LinkedHashMap<>();
    connected.put(InetSocketAddress.createUnresolved("example.org", 1), 0);
    connected.put(peer(1), 0x1ff);
    PexMessage m = sender.nextMessage(connected, 0).orElseThrow();
    assertThat(m.added()).containsExactly(new Peer(peer(1), 0xff));
    assertThat(m.encode()).isNotEmpty();
  }

  @Test
  void theMinuteIsMeasuredAcrossATickerOverflow() throws Exception {
    PexSender sender = new PexSender();
    long start = Long.MAX_VALUE - 30 * SECOND;
    assertThat(sender.nextMessage(peers(0, 1), start)).isPresent();
    assertThat(sender.nextMessage(peers(0, 2), start + 59 * SECOND)).isEmpty();
    assertThat(sender.nextMessage(peers(0, 2), start + 60 * SECOND)).isPresent();
  }

  @Test
  void everyMessageEncodesAndDecodes() throws Exception {
    PexSender sender = new PexSender();
    PexMessage m = sender.nextMessage(peers(0, 200), 0).orElseThrow();
    assertThat(PexMessage.decode(m.encode()).added())
        .containsExactlyInAnyOrderElementsOf(m.added());
    PexMessage next = sender.nextMessage(peers(100, 120), 60 * SECOND).orElseThrow();
    assertThat(PexMessage.decode(next.encode()).dropped())
        .containsExactlyInAnyOrderElementsOf(next.dropped())
        .hasSize(50);
    assertThat(next.added()).isEmpty();
  }
}
