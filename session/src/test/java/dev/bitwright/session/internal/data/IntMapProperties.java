package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link IntIntMap} and {@link IntObjectMap} behave as a {@link HashMap} under any sequence of
 * operations, over keys few enough to collide, repeat and be removed often and many enough to make
 * the tables grow.
 */
class IntMapProperties {
  /** One operation: 0 put, 1 add, 2 remove, 3 get, on {@code key} with {@code value}. */
  record Op(int kind, int key, int value) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> keys =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 40),
            Arbitraries.integers().between(0, Integer.MAX_VALUE));
    return Combinators.combine(
            Arbitraries.integers().between(0, 3), keys, Arbitraries.integers().between(-3, 3))
        .as(Op::new)
        .list()
        .ofMaxSize(400);
  }

  @Property
  void intIntMapActsAsAHashMap(@ForAll("ops") List<Op> ops) {
    IntIntMap map = new IntIntMap();
    Map<Integer, Integer> model = new HashMap<>();
    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          map.put(op.key(), op.value());
          model.put(op.key(), op.value());
        }
        case 1 ->
            assertThat(map.add(op.key(), op.value()))
                .isEqualTo(model.merge(op.key(), op.value(), Integer::sum));
        case 2 -> {
          Integer removed = model.remove(op.key());
          assertThat(map.remove(op.key(), Integer.MIN_VALUE))
              .isEqualTo(removed == null ? Integer.MIN_VALUE : removed);
        }
        default ->
            assertThat(map.get(op.key(), Integer.MIN_VALUE))
                .isEqualTo(model.getOrDefault(op.key(), Integer.MIN_VALUE));
      }
      assertThat(map.size()).isEqualTo(model.size());
    }
    model.forEach((k, v) -> assertThat(map.get(k, Integer.MIN_VALUE)).isEqualTo(v));
  }

  @Property
  void intObjectMapActsAsAHashMap(@ForAll("ops") List<Op> ops) {
    IntObjectMap<Integer> map = new IntObjectMap<>();
    Map<Integer, Integer> model = new HashMap<>();
    for (Op op : ops) {
      switch (op.kind()) {
        case 0, 1 -> {
          map.put(op.key(), op.value());
          model.put(op.key(), op.value());
        }
        case 2 -> assertThat(map.remove(op.key())).isEqualTo(model.remove(op.key()));
        default -> assertThat(map.get(op.key())).isEqualTo(model.get(op.key()));
      }
      assertThat(map.size()).isEqualTo(model.size());
    }
    model.forEach((k, v) -> assertThat(map.get(k)).isEqualTo(v));
    assertThat(IntStream.of(map.keys()).boxed().toList())
        .containsExactlyInAnyOrderElementsOf(model.keySet());
  }
}
