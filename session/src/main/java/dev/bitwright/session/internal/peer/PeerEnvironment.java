package dev.bitwright.session.internal.peer;

import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.PeerId;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** What a connection needs from the session before it knows its torrent. */
public interface PeerEnvironment {
  /** Returns the loop the connection runs on. */
  EngineLoop loop();

  /** Returns the session's encryption policy. */
  EncryptionPolicy encryption();

  /** Returns the random source for MSE keys. */
  RandomGenerator secureRandom();

  /** Returns our peer id. */
  PeerId peerId();

  /** Returns whether our DHT node runs (the handshake says so, BEP 5). */
  boolean dhtRunning();

  /** Returns the pool of output buffers. */
  OutputBuffers outputBuffers();

  /** Returns the session's disk counters, where uploads count their reads. */
  DiskCounters diskCounters();

  /** Returns the info-hash whose MSE {@code req2} hash is {@code req2}, if one is served. */
  Optional<byte[]> infoHashForReq2(byte[] req2);

  /** Returns the owner serving {@code infoHash} (a handshake's); null when none does. */
  PeerOwner ownerFor(byte[] infoHash);

  /** An incoming connection closed before any owner took it. */
  void closedUnowned(PeerConnection peer);
}
