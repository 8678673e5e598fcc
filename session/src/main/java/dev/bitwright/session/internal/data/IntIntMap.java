package dev.bitwright.session.internal.data;

import java.util.Arrays;

/**
 * A map from non-negative {@code int} keys to {@code int} values that neither boxes nor allocates
 * per entry, for state touched on every block (piece indexes of blocks in flight). Open addressing
 * with linear probing, at most half full; removal shifts the following entries back, so there are
 * no tombstones and lookups stay short however many entries come and go. The table grows with the
 * entries held at once and never shrinks: it is sized by what is in flight, not by the torrent. Not
 * thread-safe.
 */
final class IntIntMap {
  private static final int EMPTY = -1;
  private static final int MIN_CAPACITY = 8;

  private int[] keys;
  private int[] values;
  private int size;
  // The table's length less one, and the shift that takes a hash to a slot: 32 - log2(length).
  private int mask;
  private int shift;

  IntIntMap() {
    allocate(MIN_CAPACITY);
  }

  /** Returns the number of keys held. */
  int size() {
    return size;
  }

  /** Returns the value of {@code key}, or {@code missing} if it is not held. */
  int get(int key, int missing) {
    int slot = slotOf(key);
    return slot < 0 ? missing : values[slot];
  }

  /** Sets the value of {@code key}. */
  void put(int key, int value) {
    int slot = insert(key); // first: it may grow the table and replace the values array
    values[slot] = value;
  }

  /** Adds {@code delta} to the value of {@code key} (0 if absent) and returns the sum. */
  int add(int key, int delta) {
    int slot = insert(key);
    values[slot] += delta;
    return values[slot];
  }

  /** Removes {@code key}; returns its value, or {@code missing} if it was not held. */
  int remove(int key, int missing) {
    int slot = slotOf(key);
    if (slot < 0) {
      return missing;
    }
    int value = values[slot];
    // Backward shift: an entry after the hole moves into it unless the hole lies before the slot
    // the entry hashes to (cyclically), where a lookup of it would no longer reach it.
    int hole = slot;
    for (int i = (hole + 1) & mask; keys[i] != EMPTY; i = (i + 1) & mask) {
      int home = home(keys[i]);
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        keys[hole] = keys[i];
        values[hole] = values[i];
        hole = i;
      }
    }
    keys[hole] = EMPTY;
    size--;
    return value;
  }

  private int slotOf(int key) {
    if (key < 0) {
      return -1; // never held: put and add refuse negative keys
    }
    for (int i = home(key); ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        return i;
      }
      if (k == EMPTY) {
        return -1;
      }
    }
  }

  /** Returns the slot of {@code key}, added with the value 0 if it was not held. */
  private int insert(int key) {
    if (key < 0) {
      throw new IllegalArgumentException("negative key " + key);
    }
    int i = home(key);
    for (; keys[i] != EMPTY; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return i;
      }
    }
    if (2 * (size + 1) > keys.length) {
      grow();
      return insert(key);
    }
    keys[i] = key;
    values[i] = 0;
    size++;
    return i;
  }

  private void grow() {
    int[] oldKeys = keys;
    int[] oldValues = values;
    allocate(oldKeys.length * 2);
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != EMPTY) {
        int i = home(oldKeys[j]);
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }

  private void allocate(int capacity) {
    keys = new int[capacity];
    values = new int[capacity];
    Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
    shift = Integer.numberOfLeadingZeros(capacity) + 1;
  }

  // Fibonacci hashing, the top bits of the product: consecutive piece indexes spread over the
  // table instead of filling one run of slots.
  private int home(int key) {
    return key * 0x9E3779B9 >>> shift;
  }
}
