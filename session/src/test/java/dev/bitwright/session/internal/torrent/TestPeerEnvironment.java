package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.peer.OutputBuffers;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerEnvironment;
import dev.bitwright.session.internal.peer.PeerOwner;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.PeerId;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A peer connection's environment for unit tests: a loop whose clock stands still at one time and
 * whose timers never fire, no torrents, no encryption.
 */
final class TestPeerEnvironment implements PeerEnvironment {
  private final EngineLoop loop;

  private TestPeerEnvironment(long now) {
    this.loop =
        new EngineLoop() {
          @Override
          public long nanoTime() {
            return now;
          }

          @Override
          public void execute(Runnable task) {
            task.run();
          }

          @Override
          public Timer schedule(long delayNanos, Runnable task) {
            return () -> {};
          }

          @Override
          public boolean inLoop() {
            return true;
          }
        };
  }

  /** Returns an environment whose clock reads {@code now}. */
  static TestPeerEnvironment at(long now) {
    return new TestPeerEnvironment(now);
  }

  @Override
  public EngineLoop loop() {
    return loop;
  }

  @Override
  public EncryptionPolicy encryption() {
    return EncryptionPolicy.DISABLED;
  }

  @Override
  public RandomGenerator secureRandom() {
    return new SplittableRandom(1);
  }

  @Override
  public PeerId peerId() {
    return PeerId.generate(new SplittableRandom(2));
  }

  @Override
  public boolean dhtRunning() {
    return false;
  }

  @Override
  public OutputBuffers outputBuffers() {
    return new OutputBuffers();
  }

  @Override
  public DiskCounters diskCounters() {
    return new DiskCounters();
  }

  @Override
  public Optional<byte[]> infoHashForReq2(byte[] req2) {
    return Optional.empty();
  }

  @Override
  public PeerOwner ownerFor(byte[] infoHash) {
    return null;
  }

  @Override
  public void closedUnowned(PeerConnection peer) {}
}
