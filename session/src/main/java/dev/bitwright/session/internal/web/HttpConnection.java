package dev.bitwright.session.internal.web;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

/**
 * One HTTP/1.1 connection to a web seed, used by one thread at a time: it writes a request, reads
 * the answer's head into a small buffer of its own, and reads the body straight into the caller's
 * array (no buffer in between for the bulk of it). Every read waits at most until the request's
 * deadline. Bodies are framed as RFC 9112 says — {@code Content-Length}, chunked, or until the
 * server closes — and never read past what was asked for.
 */
final class HttpConnection implements Closeable {
  private static final int MAX_CHUNK_LINE = 1024;

  private final Socket socket;
  private InputStream in;
  private OutputStream out;
  private final LongSupplier nanoTime;
  // Bytes read but not yet used: the head, and what came with it; pos..limit is unread.
  private final byte[] buffer = new byte[HttpHead.MAX_BYTES];
  private int pos;
  private int limit;
  private long deadline;
  private long idleSince;
  private boolean answered;

  private HttpConnection(Socket socket, LongSupplier nanoTime) {
    this.socket = socket;
    this.nanoTime = nanoTime;
  }

  /**
   * Returns a connection not connected yet: closing it ({@link #close()}, from any thread) ends a
   * {@link #connect} under way.
   */
  static HttpConnection unconnected(LongSupplier nanoTime) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    return new HttpConnection(socket, nanoTime);
  }

  /**
   * Connects to {@code host} (a name or an address literal, without brackets) at {@code port},
   * waiting at most until {@code deadline} ({@code nanoTime}'s scale).
   *
   * @throws IOException if it cannot be reached in time, or the connection was closed
   */
  void connect(String host, int port, long deadline) throws IOException {
    socket.connect(new InetSocketAddress(host, port), millisUntil(deadline, nanoTime));
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /**
   * Returns whether nothing is left unread of the last answer: a connection with bytes beyond the
   * body (a server that sent more than it said) cannot carry another request.
   */
  boolean drained() {
    return pos == limit;
  }

  private static int millisUntil(long deadline, LongSupplier nanoTime)
      throws SocketTimeoutException {
    long millis = (deadline - nanoTime.getAsLong()) / 1_000_000;
    if (millis <= 0) {
      throw new SocketTimeoutException("the request timed out");
    }
    return (int) Math.min(Integer.MAX_VALUE, millis);
  }

  /** Sends {@code request}; reads that follow wait at most until {@code deadline}. */
  void send(byte[] request, long deadline) throws IOException {
    this.deadline = deadline;
    answered = false;
    out.write(request);
    out.flush();
  }

  /**
   * Returns whether any byte of an answer arrived since the last request: a connection kept alive
   * that fails before one did was most likely closed by the server while idle, and the request may
   * be sent again on a new one.
   */
  boolean answered() {
    return answered;
  }

  /**
   * Reads the head of the final answer, skipping interim ({@code 1xx}) ones.
   *
   * @throws WebSeedException if it is malformed or too long
   * @throws IOException if the connection fails, closes or times out first
   */
  HttpHead readHead() throws IOException {
    for (int interim = 0; interim < 8; interim++) {
      HttpHead head = readOneHead();
      if (head.status() >= 200 || head.status() == 101) {
        return head;
      }
    }
    throw RangeAnswer.bad("too many interim answers");
  }

  private HttpHead readOneHead() throws IOException {
    System.arraycopy(buffer, pos, buffer, 0, limit - pos);
    limit -= pos;
    pos = 0;
    int end;
    while ((end = HttpHead.endOf(buffer, limit)) < 0) {
      if (limit == buffer.length) {
        throw RangeAnswer.bad("a response head longer than " + HttpHead.MAX_BYTES + " bytes");
      }
      if (fill() < 0) {
        throw new IOException("the server closed the connection before its answer ended");
      }
    }
    pos = end;
    return HttpHead.parse(buffer, end);
  }

  /** Reads more into the buffer after {@code limit}; returns how many bytes, or -1 at the end. */
  private int fill() throws IOException {
    socket.setSoTimeout(millisUntil(deadline, nanoTime));
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n > 0) {
      limit += n;
      answered = true;
    }
    return n;
  }

  /**
   * Reads the body of the answer whose head is {@code head} into {@code target} from {@code at}, at
   * most {@code max} bytes, and returns how many there were.
   *
   * @return the body's length, which may be less than {@code max}
   * @throws WebSeedException if the body is longer than {@code max} or badly framed
   * @throws IOException if the connection fails or times out first
   */
  int readBody(HttpHead head, byte[] target, int at, int max) throws IOException {
    if (head.isChunked()) {
      return readChunked(target, at, max);
    }
    long length = head.contentLength();
    if (length > max) {
      throw RangeAnswer.bad("a body of " + length + " bytes for the " + max + " asked for");
    }
    if (length >= 0) {
      return read(target, at, (int) length);
    }
    int n = read(target, at, max);
    if (n == max && readByte() >= 0) {
      throw RangeAnswer.bad("a body longer than the " + max + " bytes asked for");
    }
    return n;
  }

  /**
   * Reads and drops the body of an answer that is not used (an error page, a redirect), if it is
   * framed and at most {@code max} bytes long, so that the connection can carry the next request.
   *
   * @return whether the connection can be used again
   */
  boolean skipBody(HttpHead head, int max) throws IOException {
    if (!head.keepsAlive() || head.status() == 101) {
      return false;
    }
    if (head.status() == 204 || head.status() == 304) {
      return true;
    }
    long length = head.isChunked() ? -1 : head.contentLength();
    if (length < 0 || length > max) {
      return false;
    }
    byte[] sink = new byte[(int) length];
    return read(sink, 0, sink.length) == length;
  }

  private int readChunked(byte[] target, int at, int max) throws IOException {
    int total = 0;
    while (true) {
      long size = chunkSize(readLine());
      if (size == 0) {
        break;
      }
      if (size > max - total) {
        throw RangeAnswer.bad("a body longer than the " + max + " bytes asked for");
      }
      int n = read(target, at + total, (int) size);
      total += n;
      if (n < size || !readLine().isEmpty()) {
        throw RangeAnswer.bad("a malformed chunk");
      }
    }
    int trailer = 0;
    while (!readLine().isEmpty()) {
      if (++trailer > HttpHead.MAX_FIELDS) {
        throw RangeAnswer.bad("more than " + HttpHead.MAX_FIELDS + " trailer fields");
      }
    }
    return total;
  }

  private static long chunkSize(String line) throws WebSeedException {
    int end = line.indexOf(';');
    String hex = (end < 0 ? line : line.substring(0, end)).strip();
    if (hex.isEmpty()
        || hex.length() > 8
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw RangeAnswer.bad("a malformed chunk size");
    }
    return Long.parseLong(hex, 16);
  }

  /** Reads a line of at most {@value #MAX_CHUNK_LINE} bytes, without its CRLF (or LF). */
  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = readByte();
      if (b < 0) {
        throw new IOException("the server closed the connection in a chunked body");
      }
      if (b == '\n') {
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r'
            ? line.substring(0, length - 1)
            : line.toString();
      }
      if (line.length() == MAX_CHUNK_LINE) {
        throw RangeAnswer.bad("a chunk line longer than " + MAX_CHUNK_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  private int readByte() throws IOException {
    if (pos == limit) {
      pos = 0;
      limit = 0;
      if (fill() < 0) {
        return -1;
      }
    }
    return buffer[pos++] & 0xff;
  }

  /**
   * Reads up to {@code length} bytes into {@code target} from {@code at}: what is buffered first,
   * the rest straight from the socket; returns how many there were before the stream ended.
   */
  private int read(byte[] target, int at, int length) throws IOException {
    int done = Math.min(length, limit - pos);
    System.arraycopy(buffer, pos, target, at, done);
    pos += done;
    while (done < length) {
      socket.setSoTimeout(millisUntil(deadline, nanoTime));
      int n = in.read(target, at + done, length - done);
      if (n < 0) {
        break;
      }
      done += n;
      answered = true;
    }
    return done;
  }

  /** Marks the connection idle from now (it waits in the pool). */
  void idle() {
    idleSince = nanoTime.getAsLong();
  }

  /** Returns since when it has been idle. */
  long idleSince() {
    return idleSince;
  }

  /** Closes the socket; a thread blocked on it wakes with an exception. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do with it
    }
  }
}
