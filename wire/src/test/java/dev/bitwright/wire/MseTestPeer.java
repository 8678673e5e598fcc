package dev.bitwright.wire;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A hand-written MSE peer for tests: the Diffie-Hellman exchange, the hashes and the RC4 streams of
 * the protocol, computed independently of {@link MseHandshake} (RC4 from the JDK's ARCFOUR), so
 * that tests can craft messages the real implementation never sends.
 */
final class MseTestPeer {
  static final BigInteger P =
      new BigInteger(
          "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
              + "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A6"
              + "3A36210000000000090563",
          16);

  private final BigInteger privateKey;
  private final byte[] publicKey;
  private byte[] secret;
  private Cipher outgoing;
  private Cipher incoming;

  MseTestPeer(long seed) {
    byte[] x = new byte[20];
    new Random(seed).nextBytes(x);
    privateKey = new BigInteger(1, x);
    publicKey = toKey(BigInteger.TWO.modPow(privateKey, P));
  }

  /** Returns our 96-byte public key. */
  byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Computes the shared secret from the other side's key and starts the RC4 streams: {@code keyA}
   * out and {@code keyB} in when we play the initiator, the reverse when we play the receiver.
   */
  void agree(byte[] peerKey, byte[] skey, boolean initiator) {
    secret = toKey(new BigInteger(1, peerKey).modPow(privateKey, P));
    Cipher a = rc4(sha1("keyA", secret, skey));
    Cipher b = rc4(sha1("keyB", secret, skey));
    outgoing = initiator ? a : b;
    incoming = initiator ? b : a;
  }

  byte[] secret() {
    return secret.clone();
  }

  byte[] encrypt(byte[] plain) {
    return plain.length == 0 ? new byte[0] : outgoing.update(plain);
  }

  byte[] decrypt(byte[] cipher) {
    return cipher.length == 0 ? new byte[0] : incoming.update(cipher);
  }

  /** {@code ENCRYPT(VC, crypto, len(pad), pad)}, optionally followed by {@code len(IA)}. */
  byte[] encryptedHeader(byte[] vc, int crypto, byte[] pad, int iaLength) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + 2 + pad.length + (iaLength < 0 ? 0 : 2));
    b.put(vc).putInt(crypto).putShort((short) pad.length).put(pad);
    if (iaLength >= 0) {
      b.putShort((short) iaLength);
    }
    return encrypt(b.array());
  }

  /**
   * Step 3 of the initiator: {@code HASH('req1', S)} and {@code HASH('req2', SKEY) xor HASH('req3',
   * S)}.
   */
  byte[] initiatorHashes(byte[] skey) {
    byte[] req2 = sha1("req2", skey);
    byte[] req3 = sha1("req3", secret);
    byte[] x = new byte[20];
    for (int i = 0; i < 20; i++) {
      x[i] = (byte) (req2[i] ^ req3[i]);
    }
    return WireBytes.concat(sha1("req1", secret), x);
  }

  static byte[] sha1(String label, byte[]... parts) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(label.getBytes(StandardCharsets.US_ASCII));
      for (byte[] part : parts) {
        sha1.update(part);
      }
      return sha1.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JDK's RC4 with the first 1024 bytes of keystream dropped. */
  static Cipher rc4(byte[] key) {
    try {
      Cipher c = Cipher.getInstance("ARCFOUR");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
      c.update(new byte[1024]);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] toKey(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[96];
    int n = Math.min(raw.length, 96);
    System.arraycopy(raw, raw.length - n, out, 96 - n, n);
    return out;
  }

  static byte[] pad(int length, long seed) {
    byte[] pad = new byte[length];
    new Random(seed).nextBytes(pad);
    return pad;
  }

  static byte[] first(byte[] bytes, int n) {
    return Arrays.copyOf(bytes, n);
  }
}
