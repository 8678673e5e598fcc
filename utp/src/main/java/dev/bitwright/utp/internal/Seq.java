package dev.bitwright.utp.internal;

/** Arithmetic on uTP's 16-bit sequence and ack numbers, which wrap. */
public final class Seq {
  /** The mask of a sequence number. */
  public static final int MASK = 0xFFFF;

  private Seq() {}

  /** Returns {@code a + n} modulo 2^16. */
  public static int add(int a, int n) {
    return (a + n) & MASK;
  }

  /** Returns how far {@code b} is ahead of {@code a}, modulo 2^16 (0 to 65535). */
  public static int distance(int a, int b) {
    return (b - a) & MASK;
  }

  /** Returns whether {@code a} comes before {@code b}, taking the shorter way round the circle. */
  public static boolean before(int a, int b) {
    int d = distance(a, b);
    return d != 0 && d < 0x8000;
  }
}
