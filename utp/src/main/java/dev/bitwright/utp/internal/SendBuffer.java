package dev.bitwright.utp.internal;

import java.nio.ByteBuffer;

/**
 * The sending half of a connection: the bytes written and not yet acknowledged, cut into packets as
 * the window allows, and a record of each packet sent and not yet acknowledged (its sequence
 * number, where its bytes are, when it was last sent, how often, and whether a selective ack or a
 * loss marked it). A SYN or FIN is a packet of no bytes that takes a sequence number.
 */
public final class SendBuffer {
  /** The most packets in flight at once. */
  public static final int SLOTS = 1024;

  private static final int MASK = SLOTS - 1;

  private final ByteRing bytes;
  private final long[] start = new long[SLOTS];
  private final int[] length = new int[SLOTS];
  private final byte[] type = new byte[SLOTS];
  private final long[] sentAt = new long[SLOTS];
  private final int[] transmissions = new int[SLOTS];
  private final boolean[] sacked = new boolean[SLOTS];
  private final boolean[] lost = new boolean[SLOTS];
  private long packetized;
  private int oldest;
  private int next;
  private int bytesInFlight;
  private int lostCount;

  /** A buffer taking at most {@code maxBytes} unacknowledged bytes. */
  public SendBuffer(int maxBytes) {
    this.bytes = new ByteRing(maxBytes);
  }

  /** Starts the sequence: the first packet gets {@code firstSeq}. */
  public void start(int firstSeq) {
    oldest = firstSeq;
    next = firstSeq;
  }

  /** Appends what fits of {@code src}; returns how many bytes. */
  public int write(ByteBuffer src) {
    return bytes.append(src);
  }

  /** Returns how many more bytes {@link #write} takes. */
  public int free() {
    return bytes.free();
  }

  /** Returns the bytes written and not yet cut into a packet. */
  public int unsent() {
    return (int) (bytes.end() - packetized);
  }

  /** Returns the sequence number the next new packet gets. */
  public int nextSeq() {
    return next;
  }

  /** Returns the oldest unacknowledged sequence number (equal to {@link #nextSeq} when none). */
  public int oldestSeq() {
    return oldest;
  }

  /** Returns the packets sent and not acknowledged. */
  public int packetsInFlight() {
    return Seq.distance(oldest, next);
  }

  /** Returns whether a new packet can take a record. */
  public boolean hasSlot() {
    return packetsInFlight() < MASK;
  }

  /** Returns the bytes of packets sent, not acknowledged and not taken for lost. */
  public int bytesInFlight() {
    return bytesInFlight;
  }

  /** Returns whether packets wait to be sent again. */
  public boolean hasLost() {
    return lostCount > 0;
  }

  /**
   * Records a new packet of {@code type} carrying the next {@code payload} unsent bytes (0 for a
   * SYN or FIN), sent at {@code now}; returns its sequence number.
   */
  public int add(int packetType, int payload, long now) {
    int seq = next;
    int slot = seq & MASK;
    start[slot] = packetized;
    length[slot] = payload;
    type[slot] = (byte) packetType;
    sentAt[slot] = now;
    transmissions[slot] = 1;
    sacked[slot] = false;
    lost[slot] = false;
    packetized += payload;
    bytesInFlight += payload + Packet.HEADER_BYTES;
    next = Seq.add(next, 1);
    return seq;
  }

  /** Copies packet {@code seq}'s payload into {@code out}. */
  public void copyPayload(int seq, ByteBuffer out) {
    int slot = seq & MASK;
    bytes.copy(start[slot], length[slot], out);
  }

  /** Returns packet {@code seq}'s type. */
  public int type(int seq) {
    return type[seq & MASK];
  }

  /** Returns packet {@code seq}'s payload length. */
  public int length(int seq) {
    return length[seq & MASK];
  }

  /** Returns whether {@code seq} is in flight (sent and not cumulatively acknowledged). */
  public boolean inFlight(int seq) {
    return Seq.distance(oldest, seq) < packetsInFlight();
  }

  /** Returns when packet {@code seq} was last sent. */
  public long sentAt(int seq) {
    return sentAt[seq & MASK];
  }

  /** Returns how many times packet {@code seq} was sent. */
  public int transmissions(int seq) {
    return transmissions[seq & MASK];
  }

  /** Returns whether a selective ack covered packet {@code seq}. */
  public boolean sacked(int seq) {
    return sacked[seq & MASK];
  }

  /** Returns whether packet {@code seq} is taken for lost and waits to be sent again. */
  public boolean lost(int seq) {
    return lost[seq & MASK];
  }

  /**
   * Marks packet {@code seq} acknowledged by a selective ack; returns the bytes it took off the
   * flight (0 if already acknowledged).
   */
  public int markSacked(int seq) {
    int slot = seq & MASK;
    if (sacked[slot]) {
      return 0;
    }
    sacked[slot] = true;
    return leaveFlight(slot);
  }

  /** Takes packet {@code seq} for lost: it leaves the flight and waits to be sent again. */
  public void markLost(int seq) {
    int slot = seq & MASK;
    if (sacked[slot] || lost[slot]) {
      return;
    }
    leaveFlight(slot);
    lost[slot] = true;
    lostCount++;
  }

  private int leaveFlight(int slot) {
    if (lost[slot]) {
      lost[slot] = false;
      lostCount--;
      return 0;
    }
    int bytesOff = length[slot] + Packet.HEADER_BYTES;
    bytesInFlight -= bytesOff;
    return bytesOff;
  }

  /** Returns the oldest packet taken for lost, or -1. */
  public int firstLost() {
    if (lostCount == 0) {
      return -1;
    }
    for (int seq = oldest; seq != next; seq = Seq.add(seq, 1)) {
      if (lost[seq & MASK]) {
        return seq;
      }
    }
    return -1;
  }

  /** Records that packet {@code seq} (taken for lost or not) is sent again at {@code now}. */
  public void resent(int seq, long now) {
    int slot = seq & MASK;
    if (lost[slot]) {
      lost[slot] = false;
      lostCount--;
      bytesInFlight += length[slot] + Packet.HEADER_BYTES;
    }
    sentAt[slot] = now;
    transmissions[slot]++;
  }

  /**
   * Acknowledges every packet up to {@code seq} cumulatively, freeing their bytes; returns the
   * bytes this took off the flight. The caller checked that {@code seq} is in flight.
   */
  public int ackTo(int seq) {
    int freed = 0;
    int end = Seq.add(seq, 1);
    long freeTo = -1;
    while (oldest != end) {
      int slot = oldest & MASK;
      if (!sacked[slot]) {
        freed += leaveFlight(slot);
      }
      freeTo = start[slot] + length[slot];
      oldest = Seq.add(oldest, 1);
    }
    if (freeTo >= 0) {
      bytes.discardTo(freeTo);
    }
    return freed;
  }
}
