package dev.bitwright.bencode.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Canonical bencode output to a {@link ByteBuffer} or an {@link OutputStream}. */
public final class BencodeWriter {
  private static final int CHUNK = 8192;

  private BencodeWriter() {}

  /** Writes {@code value} into {@code buffer}, which must have room for all of it. */
  public static void write(BencodeValue value, ByteBuffer buffer) {
    emit(value, buffer, null);
  }

  /** Writes {@code value} to {@code out} through a bounded chunk buffer. */
  public static void write(BencodeValue value, OutputStream out) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    try {
      emit(value, chunk, out);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    drain(chunk, out);
  }

  /** Returns the encoded length of {@code value}. */
  public static long length(BencodeValue value) {
    if (value instanceof BencodeString s) {
      return decimalLength(s.length()) + 1L + s.length();
    }
    if (value instanceof BencodeInteger i) {
      return 2L + decimalLength(i.value());
    }
    long total = 2;
    if (value instanceof BencodeList l) {
      for (BencodeValue v : l.values()) {
        total += length(v);
      }
    } else {
      for (Map.Entry<BencodeString, BencodeValue> e : dictionary(value).entries().entrySet()) {
        total += length(e.getKey()) + length(e.getValue());
      }
    }
    return total;
  }

  private static int decimalLength(long value) {
    return Long.toString(value).length();
  }

  private static void emit(BencodeValue value, ByteBuffer buffer, OutputStream out) {
    if (value instanceof BencodeString s) {
      ascii(Integer.toString(s.length()) + ':', buffer, out);
      bytes(s.asReadOnlyBuffer(), buffer, out);
    } else if (value instanceof BencodeInteger i) {
      ascii("i" + i.value() + 'e', buffer, out);
    } else if (value instanceof BencodeList l) {
      ascii("l", buffer, out);
      for (BencodeValue v : l.values()) {
        emit(v, buffer, out);
      }
      ascii("e", buffer, out);
    } else {
      ascii("d", buffer, out);
      for (Map.Entry<BencodeString, BencodeValue> e : dictionary(value).entries().entrySet()) {
        emit(e.getKey(), buffer, out);
        emit(e.getValue(), buffer, out);
      }
      ascii("e", buffer, out);
    }
  }

  /** The sealed type leaves only dictionaries once strings, integers and lists are handled. */
  private static BencodeDictionary dictionary(BencodeValue value) {
    return (BencodeDictionary) value;
  }

  private static void ascii(String text, ByteBuffer buffer, OutputStream out) {
    bytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), buffer, out);
  }

  /** Copies {@code source} into {@code buffer}, draining it to {@code out} whenever it fills. */
  private static void bytes(ByteBuffer source, ByteBuffer buffer, OutputStream out) {
    if (out == null) {
      buffer.put(source);
      return;
    }
    while (source.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        try {
          drain(buffer, out);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      int n = Math.min(source.remaining(), buffer.remaining());
      buffer.put(source.slice(source.position(), n));
      source.position(source.position() + n);
    }
  }

  private static void drain(ByteBuffer buffer, OutputStream out) throws IOException {
    out.write(buffer.array(), 0, buffer.position());
    buffer.clear();
  }
}
