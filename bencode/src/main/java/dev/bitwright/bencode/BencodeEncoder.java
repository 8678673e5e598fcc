package dev.bitwright.bencode;

import dev.bitwright.bencode.internal.BencodeWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes {@link BencodeValue}s as canonical bencode: dictionary keys in ascending unsigned byte
 * order, integers and lengths without leading zeros. Encoding a decoded value therefore gives back
 * the input bytes exactly when the input was canonical.
 *
 * <p>All methods are static and thread-safe.
 */
public final class BencodeEncoder {
  private BencodeEncoder() {}

  /**
   * {@return the canonical encoding of {@code value}}
   *
   * @param value the value to encode; dictionaries come out with their keys sorted
   */
  public static byte[] encode(BencodeValue value) {
    long length = encodedLength(value);
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("encoding of " + length + " bytes exceeds an array");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) length);
    BencodeWriter.write(value, buffer);
    return buffer.array();
  }

  /**
   * Writes the canonical encoding of {@code value} at the buffer's position and advances it.
   *
   * @param value the value to encode; dictionaries come out with their keys sorted
   * @param buffer the buffer, in write mode, to put the bytes into
   * @throws BufferOverflowException if fewer than {@link #encodedLength(BencodeValue)} bytes
   *     remain; nothing is written then
   */
  public static void encode(BencodeValue value, ByteBuffer buffer) {
    if (encodedLength(value) > buffer.remaining()) {
      throw new BufferOverflowException();
    }
    BencodeWriter.write(value, buffer);
  }

  /**
   * Writes the canonical encoding of {@code value} to {@code out}, in chunks. The stream is not
   * flushed or closed.
   *
   * @param value the value to encode; dictionaries come out with their keys sorted
   * @param out the stream to write the bytes to
   * @throws IOException if the stream fails
   */
  public static void encode(BencodeValue value, OutputStream out) throws IOException {
    BencodeWriter.write(value, out);
  }

  /**
   * {@return the length in bytes of the canonical encoding of {@code value}}
   *
   * @param value the value whose encoding is measured, without encoding it
   */
  public static long encodedLength(BencodeValue value) {
    return BencodeWriter.length(value);
  }
}
