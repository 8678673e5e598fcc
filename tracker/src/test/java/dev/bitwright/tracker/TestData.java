package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Byte helpers, requests and future helpers shared by the tracker tests. */
final class TestData {
  private TestData() {}

  /** Returns {@code length} bytes counting up from {@code first}. */
  static byte[] counting(int first, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  /** Returns {@code length} copies of {@code value}. */
  static byte[] filled(int value, int length) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  /** Returns the ASCII bytes of {@code text}. */
  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Concatenates parts: a {@link String} stands for its ISO-8859-1 bytes, a {@code byte[]} for
   * itself, an {@link Integer} for one byte. Handy for writing bencode by hand.
   */
  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      } else if (part instanceof byte[] b) {
        out.writeBytes(b);
      } else if (part instanceof Integer i) {
        out.write(i);
      } else {
        throw new IllegalArgumentException("unsupported part " + part);
      }
    }
    return out.toByteArray();
  }

  /**
   * Returns a valid announce reply ({@code interval} 1800, no peers) padded with an unknown key to
   * exactly {@code total} bytes.
   */
  static byte[] paddedAnnounceReply(int total) {
    for (int digits = 1; digits <= 10; digits++) {
      int n = total - 22 - digits;
      if (n >= 0 && Integer.toString(n).length() == digits) {
        byte[] reply = bytes("d8:intervali1800e1:x" + n + ":", new byte[n], "e");
        assertThat(reply).hasSize(total);
        return reply;
      }
    }
    throw new IllegalArgumentException("cannot pad to " + total);
  }

  /** Returns a 6-byte compact IPv4 peer. */
  static byte[] compact4(int a, int b, int c, int d, int port) {
    return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d, (byte) (port >> 8), (byte) port};
  }

  /** Returns an 18-byte compact IPv6 peer: 16 address bytes then the port. */
  static byte[] compact6(byte[] address, int port) {
    return bytes(address, port >> 8 & 0xff, port & 0xff);
  }

  /** A plain request: 6881, counters 1/2/3, started, 50 wanted, key 0xBEEF, no tracker id. */
  static AnnounceRequest request(byte[] infoHash, byte[] peerId, AnnounceEvent event) {
    return new AnnounceRequest(
        infoHash, peerId, 6881, 1, 2, 3, event, 50, 0xBEEF, Optional.empty(), false, false);
  }

  /** A request with the given port and bytes left. */
  static AnnounceRequest request(
      byte[] infoHash, byte[] peerId, int port, long left, AnnounceEvent event) {
    return new AnnounceRequest(
        infoHash, peerId, port, 0, 0, left, event, 50, 0x1234, Optional.empty(), false, false);
  }

  /** Returns a 20-byte peer id {@code -BW0100-} followed by {@code n} in 12 digits. */
  static byte[] peerId(long n) {
    return ascii(String.format(java.util.Locale.ROOT, "-BW0100-%012d", n));
  }

  /** Returns what {@code future} failed with (unwrapping {@link CompletionException}). */
  static Throwable failure(CompletableFuture<?> future) {
    assertThat(future).isDone();
    try {
      future.getNow(null);
    } catch (CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (java.util.concurrent.CancellationException e) {
      return e;
    }
    throw new AssertionError("future completed normally: " + future.join());
  }

  /** Waits up to {@code seconds} for {@code future}; returns its failure or fails the test. */
  static Throwable awaitFailure(CompletableFuture<?> future, long seconds)
      throws InterruptedException, TimeoutException {
    try {
      Object value = future.get(seconds, TimeUnit.SECONDS);
      throw new AssertionError("future completed normally: " + value);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause;
    }
  }

  /** Waits up to {@code seconds} for {@code future}'s value. */
  static <T> T await(CompletableFuture<T> future, long seconds) throws Exception {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
