package dev.bitwright.session.internal.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A map from non-negative {@code int} keys to objects that neither boxes its keys nor allocates per
 * entry: an {@link IntIntMap} from each key to its place in two dense arrays, which removal keeps
 * dense by moving the last entry into the gap. Sized by the entries held at once; never shrinks.
 * Not thread-safe.
 *
 * @param <V> the type of the values
 */
final class IntObjectMap<V> {
  private static final int MIN_CAPACITY = 8;

  private final IntIntMap index = new IntIntMap();
  private int[] keys = new int[MIN_CAPACITY];
  private Object[] values = new Object[MIN_CAPACITY];
  private int size;

  /** Returns the number of keys held. */
  int size() {
    return size;
  }

  /** Returns the keys held, in no particular order: a copy, which the map's changes leave alone. */
  int[] keys() {
    return Arrays.copyOf(keys, size);
  }

  /** Returns the value of {@code key}, or null if it is not held. */
  @SuppressWarnings("unchecked") // only put stores values, all of them Vs
  V get(int key) {
    int i = index.get(key, -1);
    return i < 0 ? null : (V) values[i];
  }

  /** Sets the value of {@code key} (not null: null stands for a key not held). */
  void put(int key, V value) {
    Objects.requireNonNull(value, "value");
    int i = index.get(key, -1);
    if (i < 0) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      i = size++;
      keys[i] = key;
      index.put(key, i);
    }
    values[i] = value;
  }

  /** Removes {@code key}; returns its value, or null if it was not held. */
  @SuppressWarnings("unchecked") // only put stores values, all of them Vs
  V remove(int key) {
    int i = index.remove(key, -1);
    if (i < 0) {
      return null;
    }
    V value = (V) values[i];
    int last = --size;
    if (i != last) {
      keys[i] = keys[last];
      values[i] = values[last];
      index.put(keys[i], i);
    }
    values[last] = null;
    return value;
  }
}
