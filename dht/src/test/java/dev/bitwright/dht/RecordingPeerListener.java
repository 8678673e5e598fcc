package dev.bitwright.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Keeps what a lookup reported, for assertions. */
final class RecordingPeerListener implements PeerListener {
  final Set<InetSocketAddress> peers = new LinkedHashSet<>();
  int batches;
  LookupStats done;

  @Override
  public void peersFound(NodeId infoHash, List<InetSocketAddress> found) {
    batches++;
    peers.addAll(found);
  }

  @Override
  public void lookupDone(LookupStats stats) {
    done = stats;
  }

  boolean isDone() {
    return done != null;
  }
}
