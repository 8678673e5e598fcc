package dev.bitwright.utp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SeqTest {
  @Property
  void orderHoldsAcrossTheWrap(
      @ForAll @IntRange(min = 0, max = 0xFFFF) int a,
      @ForAll @IntRange(min = 1, max = 0x7FFF) int n) {
    int b = Seq.add(a, n);
    assertThat(Seq.before(a, b)).isTrue();
    assertThat(Seq.before(b, a)).isFalse();
    assertThat(Seq.distance(a, b)).isEqualTo(n);
    assertThat(b).isBetween(0, 0xFFFF);
    assertThat(Seq.add(b, -n)).isEqualTo(a);
  }

  @Property
  void nothingIsBeforeItself(@ForAll @IntRange(min = 0, max = 0xFFFF) int a) {
    assertThat(Seq.before(a, a)).isFalse();
    assertThat(Seq.distance(a, a)).isZero();
  }
}
