package dev.bitwright.tracker;

import static dev.bitwright.tracker.TestData.counting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The announce fields: checks, copies, equality, events. */
class AnnounceRequestTest {
  static final byte[] HASH = counting(0, 20);
  static final byte[] PEER = TestData.peerId(7);

  static AnnounceRequest make(byte[] hash, byte[] peer, int port, long left, int numWant) {
    return new AnnounceRequest(
        hash,
        peer,
        port,
        0,
        0,
        left,
        AnnounceEvent.NONE,
        numWant,
        1,
        Optional.empty(),
        false,
        false);
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> make(new byte[19], PEER, 1, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> make(new byte[32], PEER, 1, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> make(HASH, new byte[21], 1, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> make(HASH, PEER, 65536, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> make(HASH, PEER, -1, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> make(HASH, PEER, 1, -1, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> make(HASH, PEER, 1, 0, -2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(make(HASH, PEER, 0, 0, -1).port()).isZero();
    assertThat(make(HASH, PEER, 65535, Long.MAX_VALUE, 0).port()).isEqualTo(65535);
  }

  @Test
  void arraysAreCopiedInAndOut() {
    byte[] hash = HASH.clone();
    AnnounceRequest r = make(hash, PEER, 1, 0, -1);
    hash[0] = 99;
    assertThat(r.infoHash()).isEqualTo(HASH);
    r.infoHash()[1] = 99;
    r.peerId()[1] = 99;
    assertThat(r.infoHash()).isEqualTo(HASH);
    assertThat(r.peerId()).isEqualTo(PEER);
  }

  @Test
  void equalityIsByContent() {
    AnnounceRequest a = make(HASH.clone(), PEER.clone(), 1, 0, -1);
    AnnounceRequest b = make(HASH.clone(), PEER.clone(), 1, 0, -1);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(make(HASH, PEER, 2, 0, -1));
    assertThat(a).isNotEqualTo(a.withEvent(AnnounceEvent.STARTED));
    assertThat(a.toString()).doesNotContain("BW0100");
  }

  @Test
  void withEventAndWithTrackerIdChangeOnlyThat() {
    AnnounceRequest a = make(HASH, PEER, 6881, 5, 30);
    AnnounceRequest s = a.withEvent(AnnounceEvent.STOPPED);
    assertThat(s.event()).isEqualTo(AnnounceEvent.STOPPED);
    assertThat(s.withEvent(AnnounceEvent.NONE)).isEqualTo(a);
    AnnounceRequest t = a.withTrackerId(Optional.of("xyz"));
    assertThat(t.trackerId()).hasValue("xyz");
    assertThat(t.withTrackerId(Optional.empty())).isEqualTo(a);
    assertThat(t.port()).isEqualTo(6881);
    assertThat(t.left()).isEqualTo(5);
    assertThat(t.numWant()).isEqualTo(30);
  }

  @Test
  void eventNames() {
    assertThat(AnnounceEvent.NONE.httpName()).isEmpty();
    assertThat(AnnounceEvent.STARTED.httpName()).isEqualTo("started");
    assertThat(AnnounceEvent.COMPLETED.httpName()).isEqualTo("completed");
    assertThat(AnnounceEvent.STOPPED.httpName()).isEqualTo("stopped");
  }
}
