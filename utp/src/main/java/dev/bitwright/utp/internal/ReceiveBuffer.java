package dev.bitwright.utp.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The receiving half of a connection: the bytes that arrived in order and wait for the reader,
 * packets that arrived ahead of a gap (kept until it fills, at most {@link #SLOTS} packets ahead),
 * the last sequence number received in order, and where the sender's stream ends (its FIN). The
 * bytes held, in order or not, never exceed the window the connection advertises.
 */
public final class ReceiveBuffer {
  /** How far ahead of the last in-order packet a packet may arrive and still be kept. */
  public static final int SLOTS = 1024;

  private static final int MASK = SLOTS - 1;
  // Arrays this size or smaller, holding packets that came ahead of a gap, are kept for reuse.
  private static final int REUSED_BYTES = 1500;

  private final int maxBytes;
  private final ByteRing inOrder;
  // Slots of packets ahead of a gap, indexed by sequence number; their arrays are kept and reused.
  private final byte[][] aheadData = new byte[SLOTS][];
  private final int[] aheadLength = new int[SLOTS];
  private final boolean[] aheadPresent = new boolean[SLOTS];
  private int aheadBytes;
  private int aheadCount;
  private int ackNr;
  private int finSeq = -1;
  private boolean eof;

  /** A buffer holding at most {@code maxBytes}, in order or ahead of a gap. */
  public ReceiveBuffer(int maxBytes) {
    this.maxBytes = maxBytes;
    this.inOrder = new ByteRing(maxBytes);
  }

  /** Starts the stream: {@code lastSeq} is the sequence number before the first expected. */
  public void start(int lastSeq) {
    ackNr = lastSeq;
  }

  /** Returns the last sequence number received in order. */
  public int ackNr() {
    return ackNr;
  }

  /** What became of an offered packet. */
  public enum Outcome {
    /** It continued the stream (and maybe closed a gap). */
    IN_ORDER,
    /** It arrived ahead of a gap and is kept. */
    AHEAD,
    /** It had arrived before. */
    DUPLICATE,
    /** It did not fit the window, was too far ahead, or came after the end of the stream. */
    DROPPED
  }

  /**
   * Offers a data packet ({@code fin} for the sender's last): {@code length} payload bytes of
   * {@code datagram} from its absolute index {@code from}.
   */
  public Outcome offer(int seq, boolean fin, ByteBuffer datagram, int from, int length) {
    int distance = Seq.distance(ackNr, seq);
    if (distance == 0 || distance >= 0x8000) {
      return Outcome.DUPLICATE;
    }
    if (eof || (finSeq >= 0 && Seq.before(finSeq, seq)) || distance >= SLOTS) {
      return Outcome.DROPPED;
    }
    if (fin && finSeq >= 0 && seq != finSeq) {
      return Outcome.DROPPED; // the first FIN holds
    }
    if (distance == 1) {
      // The packet that continues the stream always gets room, from packets held further ahead
      // if need be: otherwise those could fill the window and shut out the one that frees them.
      if (length > maxBytes - inOrder.size()) {
        return Outcome.DROPPED;
      }
      evictAheadFor(length);
    } else if (length > window()) {
      return Outcome.DROPPED;
    }
    if (fin && finSeq < 0) {
      finSeq = seq;
      dropAheadAfter(seq);
    }
    if (distance == 1) {
      inOrder.append(datagram, from, length);
      ackNr = seq;
      drainAhead();
      return Outcome.IN_ORDER;
    }
    int slot = seq & MASK;
    if (aheadPresent[slot]) {
      return Outcome.DUPLICATE;
    }
    byte[] data = aheadData[slot];
    if (data == null || data.length < length) {
      data = new byte[Math.max(length, REUSED_BYTES)];
      aheadData[slot] = data;
    }
    datagram.get(from, data, 0, length);
    aheadLength[slot] = length;
    aheadPresent[slot] = true;
    aheadBytes += length;
    aheadCount++;
    return Outcome.AHEAD;
  }

  private void drainAhead() {
    while (aheadCount > 0 && ackNr != finSeq) {
      int slot = Seq.add(ackNr, 1) & MASK;
      if (!aheadPresent[slot]) {
        break;
      }
      inOrder.append(aheadData[slot], 0, aheadLength[slot]);
      forget(slot);
      ackNr = Seq.add(ackNr, 1);
    }
    if (finSeq >= 0 && ackNr == finSeq) {
      eof = true;
    }
  }

  private void forget(int slot) {
    aheadPresent[slot] = false;
    aheadCount--;
    aheadBytes -= aheadLength[slot];
    if (aheadData[slot].length > REUSED_BYTES) {
      // Only arrays of an ordinary packet's size are kept for reuse: a peer sending huge packets
      // ahead of a gap must not leave a slot's worth of them behind.
      aheadData[slot] = null;
    }
  }

  /** Forgets packets held ahead until {@code length} more bytes fit, the furthest first. */
  private void evictAheadFor(int length) {
    for (int d = SLOTS - 1; d >= 2 && length > window() && aheadCount > 0; d--) {
      int slot = Seq.add(ackNr, d) & MASK;
      if (aheadPresent[slot]) {
        forget(slot);
      }
    }
  }

  /** Forgets packets held ahead that come after the sender's FIN at {@code fin}. */
  private void dropAheadAfter(int fin) {
    for (int d = Seq.distance(ackNr, fin) + 1; d < SLOTS && aheadCount > 0; d++) {
      int slot = Seq.add(ackNr, d) & MASK;
      if (aheadPresent[slot]) {
        forget(slot);
      }
    }
  }

  /** Returns whether every byte of the sender's stream, up to its FIN, has arrived in order. */
  public boolean eof() {
    return eof;
  }

  /** Returns how many bytes wait for the reader. */
  public int readable() {
    return inOrder.size();
  }

  /** Moves up to {@code dst.remaining()} waiting bytes into {@code dst}; returns how many. */
  public int read(ByteBuffer dst) {
    int n = Math.min(dst.remaining(), inOrder.size());
    if (n > 0) {
      long from = inOrder.start();
      inOrder.copy(from, n, dst);
      inOrder.discardTo(from + n);
    }
    return n;
  }

  /** Returns the bytes more the buffer takes: the window to advertise. */
  public int window() {
    return Math.max(0, maxBytes - inOrder.size() - aheadBytes);
  }

  /**
   * Writes the selective-ack bitmask (packets {@code ackNr + 2} onwards that arrived ahead of the
   * gap) into {@code out}; returns its length in bytes, a multiple of 4, or 0 when none is needed.
   */
  public int selectiveAck(byte[] out) {
    if (aheadCount == 0) {
      return 0;
    }
    int bits = Math.min(Packet.MAX_SACK_BYTES * 8, SLOTS - 2);
    int last = -1;
    Arrays.fill(out, 0, Packet.MAX_SACK_BYTES, (byte) 0);
    for (int i = 0; i < bits; i++) {
      if (aheadPresent[Seq.add(ackNr, 2 + i) & MASK]) {
        out[i >>> 3] |= (byte) (1 << (i & 7));
        last = i;
      }
    }
    return last < 0 ? 0 : ((last >>> 5) + 1) * 4;
  }
}
