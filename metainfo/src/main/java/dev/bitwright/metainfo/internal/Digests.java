package dev.bitwright.metainfo.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digests BitTorrent uses, which every Java platform must provide. */
public final class Digests {
  private Digests() {}

  /** Returns a new SHA-1 digest. */
  public static MessageDigest sha1() {
    return digest("SHA-1");
  }

  /** Returns a new SHA-256 digest. */
  public static MessageDigest sha256() {
    return digest("SHA-256");
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }
}
