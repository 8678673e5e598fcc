package dev.bitwright.bencode.internal;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.bencode.ByteRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A single-use, iterative bencode parser over a byte array region. Containers being read live on an
 * explicit stack, so the nesting depth is bounded by a limit, never by the thread's stack.
 */
public final class BencodeParser {
  private static final int MAX_LONG_DIGITS = 19;
  private static final byte[] MAX_LONG_DIGITS_BYTES = ascii(Long.toString(Long.MAX_VALUE));
  private static final byte[] MIN_LONG_MAGNITUDE =
      ascii(Long.toString(Long.MIN_VALUE).substring(1));

  private final byte[] input;
  private final int base;
  private final int end;
  private final int maxStringLength;
  private final int maxDepth;
  private final int maxEntries;
  private final int maxValues;
  private final boolean allowUnsortedKeys;

  private final ArrayDeque<Container> stack = new ArrayDeque<>();
  private int pos;
  private int values;

  /** Creates a parser for {@code length} bytes of {@code input} from {@code offset}. */
  public BencodeParser(
      byte[] input,
      int offset,
      int length,
      int maxStringLength,
      int maxDepth,
      int maxEntries,
      int maxValues,
      boolean allowUnsortedKeys) {
    this.input = input;
    this.base = offset;
    this.end = offset + length;
    this.pos = offset;
    this.maxStringLength = maxStringLength;
    this.maxDepth = maxDepth;
    this.maxEntries = maxEntries;
    this.maxValues = maxValues;
    this.allowUnsortedKeys = allowUnsortedKeys;
  }

  private static byte[] ascii(String digits) {
    return digits.getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns how many bytes have been consumed. */
  public int consumed() {
    return pos - base;
  }

  /** Parses one value from the current position. */
  public BencodeValue parseValue() throws BencodeException {
    while (true) {
      int start = pos;
      byte b = next("a value");
      BencodeValue done;
      if (b == 'e') {
        Container top = stack.poll();
        if (top == null) {
          throw error("unexpected 'e' outside a list or dictionary", start);
        }
        done = top.finish(start);
        start = top.start;
      } else if (b == 'i') {
        countValue(start);
        done = BencodeInteger.of(readInteger(start));
      } else if (b >= '0' && b <= '9') {
        countValue(start);
        pos = start;
        done = readString();
      } else if (b == 'l' || b == 'd') {
        countValue(start);
        if (stack.size() >= maxDepth) {
          throw error("nesting deeper than the limit of " + maxDepth, start);
        }
        if (b == 'd') {
          stack.push(new DictionaryBuilder(start));
        } else {
          stack.push(new ListBuilder(start));
        }
        continue;
      } else {
        throw error("unexpected byte 0x" + Integer.toHexString(b & 0xff), start);
      }
      Container parent = stack.peek();
      if (parent == null) {
        return done;
      }
      parent.add(done, start, pos);
    }
  }

  private void countValue(int at) throws BencodeException {
    if (++values > maxValues) {
      throw error("more values than the limit of " + maxValues, at);
    }
  }

  private byte next(String expected) throws BencodeException {
    if (pos >= end) {
      throw error("input ends where " + expected + " was expected", pos);
    }
    return input[pos++];
  }

  private long readInteger(int start) throws BencodeException {
    boolean negative = false;
    if (pos < end && input[pos] == '-') {
      negative = true;
      pos++;
    }
    int firstDigit = pos;
    long value = 0;
    while (true) {
      byte b = next("a digit or 'e'");
      if (b == 'e') {
        break;
      }
      if (b < '0' || b > '9') {
        throw error("invalid character in integer", pos - 1);
      }
      if (pos - firstDigit > MAX_LONG_DIGITS) {
        throw error("integer does not fit in 64 bits", start);
      }
      value = value * 10 + (b - '0');
    }
    int digits = pos - 1 - firstDigit;
    if (digits == 0) {
      throw error("integer without digits", start);
    }
    if (input[firstDigit] == '0' && (digits > 1 || negative)) {
      throw error(digits > 1 ? "integer with a leading zero" : "negative zero", start);
    }
    return checkedSign(value, negative, digits, start);
  }

  private long checkedSign(long magnitude, boolean negative, int digits, int start)
      throws BencodeException {
    // Up to 18 digits cannot overflow; 19 digits may wrap, which shows as a negative magnitude
    // (except for Long.MIN_VALUE, whose magnitude wraps exactly onto itself).
    if (digits < MAX_LONG_DIGITS) {
      return negative ? -magnitude : magnitude;
    }
    if (digits == MAX_LONG_DIGITS && digitsFitInLong(start, negative)) {
      return negative ? -magnitude : magnitude;
    }
    throw error("integer does not fit in 64 bits", start);
  }

  private boolean digitsFitInLong(int start, boolean negative) {
    byte[] limit = negative ? MIN_LONG_MAGNITUDE : MAX_LONG_DIGITS_BYTES;
    int from = start + (negative ? 2 : 1);
    return Arrays.compare(input, from, from + MAX_LONG_DIGITS, limit, 0, MAX_LONG_DIGITS) <= 0;
  }

  private BencodeString readString() throws BencodeException {
    int start = pos;
    long length = 0;
    while (true) {
      byte b = next("a digit or ':'");
      if (b == ':') {
        break;
      }
      if (b < '0' || b > '9') {
        throw error("invalid character in string length", pos - 1);
      }
      length = length * 10 + (b - '0');
      if (length > maxStringLength) {
        throw error("string length exceeds the limit of " + maxStringLength, start);
      }
    }
    if (pos - 1 - start > 1 && input[start] == '0') {
      throw error("string length with a leading zero", start);
    }
    if (length > end - pos) {
      throw error("string of " + length + " bytes runs past the end of the input", start);
    }
    byte[] bytes = Arrays.copyOfRange(input, pos, pos + (int) length);
    pos += (int) length;
    return new BencodeString(bytes);
  }

  private BencodeException error(String message, int at) {
    return new BencodeException(message, at - base);
  }

  private ByteRange range(int from, int to) {
    return new ByteRange(from - base, to - base);
  }

  /** A list or dictionary being read. */
  private abstract static class Container {
    final int start;

    Container(int start) {
      this.start = start;
    }

    abstract void add(BencodeValue value, int from, int to) throws BencodeException;

    abstract BencodeValue finish(int at) throws BencodeException;
  }

  private final class ListBuilder extends Container {
    private final List<BencodeValue> items = new ArrayList<>();

    ListBuilder(int start) {
      super(start);
    }

    @Override
    void add(BencodeValue value, int from, int to) throws BencodeException {
      if (items.size() >= maxEntries) {
        throw error("list with more entries than the limit of " + maxEntries, from);
      }
      items.add(value);
    }

    @Override
    BencodeValue finish(int at) {
      return new BencodeList(ImmutableList.copyOf(items));
    }
  }

  private final class DictionaryBuilder extends Container {
    private final List<BencodeString> keys = new ArrayList<>();
    private final List<BencodeValue> entryValues = new ArrayList<>();
    private final List<ByteRange> ranges = new ArrayList<>();
    private Set<BencodeString> seen;
    private BencodeString pendingKey;

    DictionaryBuilder(int start) {
      super(start);
    }

    @Override
    void add(BencodeValue value, int from, int to) throws BencodeException {
      if (pendingKey == null) {
        acceptKey(value, from);
        return;
      }
      keys.add(pendingKey);
      entryValues.add(value);
      ranges.add(range(from, to));
      pendingKey = null;
    }

    private void acceptKey(BencodeValue value, int at) throws BencodeException {
      if (!(value instanceof BencodeString key)) {
        throw error("dictionary key is not a byte string", at);
      }
      if (keys.size() >= maxEntries) {
        throw error("dictionary with more entries than the limit of " + maxEntries, at);
      }
      if (!keys.isEmpty()) {
        int order = key.compareTo(keys.get(keys.size() - 1));
        if (order == 0 || (order < 0 && !allowUnsortedKeys)) {
          throw error(order == 0 ? "duplicate dictionary key" : "dictionary keys not sorted", at);
        }
        if (order < 0) {
          if (seen == null) {
            seen = new HashSet<>(keys);
          }
        }
      }
      if (seen != null && !seen.add(key)) {
        throw error("duplicate dictionary key", at);
      }
      pendingKey = key;
    }

    @Override
    BencodeValue finish(int at) throws BencodeException {
      if (pendingKey != null) {
        throw error("dictionary key without a value", at);
      }
      ImmutableSortedMap.Builder<BencodeString, BencodeValue> entries =
          ImmutableSortedMap.naturalOrder();
      ImmutableMap.Builder<BencodeString, ByteRange> valueRanges =
          ImmutableMap.builderWithExpectedSize(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        entries.put(keys.get(i), entryValues.get(i));
        valueRanges.put(keys.get(i), ranges.get(i));
      }
      return new BencodeDictionary(entries.buildOrThrow(), valueRanges.buildOrThrow());
    }
  }
}
