package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BEP 12 tiers. */
class TrackerTiersTest {
  static final List<String> A = List.of("http://a1/announce", "http://a2/announce", "udp://a3:80");
  static final List<String> B =
      List.of("http://b1/announce", "udp://b2:6969", "http://b3/announce", "http://b4/announce");
  static final List<String> C = List.of("http://c1/announce");

  @Test
  void eachTierIsAPermutationOfItsInputAndTheTierOrderIsKept() {
    TrackerTiers tiers = new TrackerTiers(List.of(A, B, C), new Random(42));
    List<List<String>> t = tiers.tiers();
    assertThat(t).hasSize(3);
    assertThat(t.get(0)).containsExactlyInAnyOrderElementsOf(A);
    assertThat(t.get(1)).containsExactlyInAnyOrderElementsOf(B);
    assertThat(t.get(2)).containsExactlyElementsOf(C);
    assertThat(tiers.isEmpty()).isFalse();
  }

  @Test
  void shuffleIsDeterministicForASeedAndHappensOnce() {
    TrackerTiers one = new TrackerTiers(List.of(A, B, C), new Random(42));
    TrackerTiers two = new TrackerTiers(List.of(A, B, C), new Random(42));
    assertThat(one.tiers()).isEqualTo(two.tiers());
    List<List<String>> before = one.tiers();
    one.inOrder();
    one.firstOfEachTier();
    one.after("http://a1/announce");
    assertThat(one.tiers()).as("no reshuffle").isEqualTo(before);
  }

  @Test
  void shufflingReallyShuffles() {
    Set<List<String>> orders = new HashSet<>();
    for (int seed = 0; seed < 50; seed++) {
      orders.add(new TrackerTiers(List.of(B), new Random(seed)).tiers().get(0));
    }
    assertThat(orders).hasSizeGreaterThan(10);
  }

  @Test
  void duplicatesBlanksAndEmptyTiersAreDropped() {
    List<List<String>> input =
        List.of(
            List.of(),
            List.of("http://x/announce", " http://x/announce ", "", "   "),
            List.of(" "),
            List.of("http://y/announce", "http://x/announce"),
            List.of("http://x/announce"));
    TrackerTiers tiers = new TrackerTiers(input, new Random(1));
    assertThat(tiers.tiers())
        .containsExactly(List.of("http://x/announce"), List.of("http://y/announce"));
    assertThat(tiers.inOrder()).containsExactly("http://x/announce", "http://y/announce");
  }

  @Test
  void noTrackers() {
    assertThat(new TrackerTiers(List.of(), new Random(1)).isEmpty()).isTrue();
    TrackerTiers blank = new TrackerTiers(List.of(List.of(), List.of(" ", "")), new Random(1));
    assertThat(blank.isEmpty()).isTrue();
    assertThat(blank.inOrder()).isEmpty();
    assertThat(blank.firstOfEachTier()).isEmpty();
    assertThat(blank.tiers()).isEmpty();
  }

  @Test
  void answeredMovesToTheFrontOfItsTierOnly() {
    TrackerTiers tiers = new TrackerTiers(List.of(A, B, C), new Random(7));
    List<List<String>> before = tiers.tiers();
    String last = before.get(1).get(3);
    tiers.answered(last);
    List<List<String>> after = tiers.tiers();
    List<String> expected = new ArrayList<>(before.get(1));
    expected.remove(last);
    expected.add(0, last);
    assertThat(after.get(1)).isEqualTo(expected);
    assertThat(after.get(0)).isEqualTo(before.get(0));
    assertThat(after.get(2)).isEqualTo(before.get(2));
    assertThat(tiers.firstOfEachTier())
        .containsExactly(before.get(0).get(0), last, "http://c1/announce");

    tiers.answered(last);
    assertThat(tiers.tiers()).isEqualTo(after);
    assertThatThrownBy(() -> tiers.answered("http://elsewhere/announce"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(tiers.tiers()).isEqualTo(after);
  }

  @Test
  void afterListsTheRestOfTheTier() {
    TrackerTiers tiers = new TrackerTiers(List.of(A, B, C), new Random(3));
    List<String> b = tiers.tiers().get(1);
    assertThat(tiers.after(b.get(0))).isEqualTo(b.subList(1, 4));
    assertThat(tiers.after(b.get(2))).isEqualTo(b.subList(3, 4));
    assertThat(tiers.after(b.get(3))).isEmpty();
    assertThat(tiers.after("http://c1/announce")).isEmpty();
    assertThat(tiers.after("http://unknown/announce")).isEmpty();
  }

  @Test
  void inOrderIsTierByTier() {
    TrackerTiers tiers = new TrackerTiers(List.of(A, B, C), new Random(5));
    List<List<String>> t = tiers.tiers();
    List<String> expected = new ArrayList<>();
    t.forEach(expected::addAll);
    assertThat(tiers.inOrder()).isEqualTo(expected).hasSize(8);
    assertThat(tiers.firstOfEachTier())
        .containsExactly(t.get(0).get(0), t.get(1).get(0), t.get(2).get(0));
  }

  @Test
  void tiersIsACopy() {
    TrackerTiers tiers = new TrackerTiers(List.of(A, B), new Random(5));
    List<List<String>> copy = tiers.tiers();
    copy.clear();
    assertThat(tiers.tiers()).hasSize(2);
    assertThatThrownBy(() -> tiers.tiers().get(0).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    List<String> in = tiers.inOrder();
    in.clear();
    assertThat(tiers.inOrder()).hasSize(7);
  }

  @Test
  void inputListsAreNotModified() {
    List<String> mutable = new ArrayList<>(B);
    new TrackerTiers(List.of(mutable), new Random(9)).answered("udp://b2:6969");
    assertThat(mutable).isEqualTo(B);
  }
}
