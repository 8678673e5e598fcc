package dev.bitwright.wire;

/** When to use Message Stream Encryption (MSE/PE) on a connection. */
public enum EncryptionPolicy {
  /** Never: plaintext only; an encrypted handshake from a peer is refused. */
  DISABLED,
  /**
   * Prefer encryption: outgoing connections start MSE and offer RC4 and plaintext (the session
   * retries in plaintext if MSE fails); incoming connections accept both; RC4 is chosen when the
   * other side offers it.
   */
  ENABLED,
  /** Only RC4-encrypted MSE connections; plaintext handshakes and plaintext selection refused. */
  FORCED
}
