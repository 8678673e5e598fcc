package dev.bitwright.session;

/** Where a torrent learnt of a peer. */
public enum PeerSource {
  /** A tracker's answer to an announce. */
  TRACKER,
  /** A lookup on the Mainline DHT. */
  DHT,
  /** Another peer's peer exchange (BEP 11). */
  PEX,
  /** The peer's announce on the local network (Local Service Discovery, BEP 14). */
  LSD,
  /** The application: the request's peers, the magnet link's {@code x.pe}, or by hand. */
  MANUAL,
  /** The peer connected to us. */
  INCOMING
}
