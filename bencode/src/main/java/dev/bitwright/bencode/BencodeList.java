package dev.bitwright.bencode;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A bencoded list.
 *
 * @param values the elements, in order; the list is immutable
 */
public record BencodeList(List<BencodeValue> values) implements BencodeValue {

  /**
   * Creates a list holding an immutable copy of {@code values}.
   *
   * @param values the elements, in order
   * @throws NullPointerException if {@code values} or any element is null
   */
  public BencodeList {
    values = ImmutableList.copyOf(values);
  }

  /**
   * {@return a list of the given values}
   *
   * @param values the elements, in order; copied
   */
  public static BencodeList of(BencodeValue... values) {
    return new BencodeList(ImmutableList.copyOf(values));
  }

  /** {@return the number of elements} */
  public int size() {
    return values.size();
  }

  /**
   * {@return the element at {@code index}}
   *
   * @param index the position of the element, from 0
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public BencodeValue get(int index) {
    return values.get(index);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
