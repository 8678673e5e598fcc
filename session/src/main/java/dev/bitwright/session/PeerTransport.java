package dev.bitwright.session;

/** What a peer connection runs over. */
public enum PeerTransport {
  /** TCP. */
  TCP,
  /** uTP (BEP 29), over UDP. */
  UTP
}
