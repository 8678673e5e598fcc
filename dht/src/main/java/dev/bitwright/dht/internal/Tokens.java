package dev.bitwright.dht.internal;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.random.RandomGenerator;

/**
 * The write tokens of BEP 5: a {@code get_peers} reply carries a token that the requester must
 * return in its {@code announce_peer}. A token is a keyed hash (SipHash-2-4, 8 bytes) of the
 * requester's IP, so it is useless from another IP. The key is replaced every {@value
 * #ROTATION_SECONDS} seconds and tokens made with the previous key are still accepted, so a token
 * lives 5 to 10 minutes.
 */
public final class Tokens {
  /** How often the secret changes, in seconds (BEP 5: five minutes). */
  public static final int ROTATION_SECONDS = 300;

  private static final long ROTATION_NANOS = ROTATION_SECONDS * 1_000_000_000L;

  private final RandomGenerator random;
  private HashFunction current;
  private HashFunction previous;
  private long rotatedAt;

  /**
   * Creates tokens with fresh secrets from {@code random}, counting the rotation from {@code
   * nowNanos}.
   */
  public Tokens(RandomGenerator random, long nowNanos) {
    this.random = random;
    this.current = newSecret();
    this.previous = newSecret();
    this.rotatedAt = nowNanos;
  }

  private HashFunction newSecret() {
    return Hashing.sipHash24(random.nextLong(), random.nextLong());
  }

  /** Replaces the secret if it is due; returns when it is next due. */
  public long rotate(long nowNanos) {
    if (nowNanos - rotatedAt >= ROTATION_NANOS) {
      previous = current;
      current = newSecret();
      rotatedAt = nowNanos;
    }
    return rotatedAt + ROTATION_NANOS;
  }

  /** Returns the token for a requester at {@code ip}. */
  public byte[] tokenFor(InetAddress ip) {
    return current.hashBytes(ip.getAddress()).asBytes();
  }

  /** Returns whether {@code token} was given to {@code ip} under the current or previous secret. */
  public boolean isValid(byte[] token, InetAddress ip) {
    byte[] address = ip.getAddress();
    return MessageDigest.isEqual(token, current.hashBytes(address).asBytes())
        || MessageDigest.isEqual(token, previous.hashBytes(address).asBytes());
  }
}
