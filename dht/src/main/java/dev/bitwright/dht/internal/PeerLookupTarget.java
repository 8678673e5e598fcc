package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.PeerListener;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code get_peers} lookup, optionally followed by {@code announce_peer} to the {@value
 * #ANNOUNCE_TO} closest nodes that gave a token. Peers are reported as they come, each once (up to
 * {@value #MAX_DISTINCT_PEERS} remembered for that).
 */
public final class PeerLookupTarget implements LookupTarget {
  /** How many of the closest token-giving nodes an announce goes to. */
  public static final int ANNOUNCE_TO = 8;

  /** The most distinct peers remembered to report each once. */
  public static final int MAX_DISTINCT_PEERS = 4096;

  private final NodeId infoHash;
  private final PeerListener listener;
  private final int port;
  private final boolean impliedPort;
  private final boolean announce;
  private final Set<InetSocketAddress> reported = new HashSet<>();
  private Lookup lookup;
  private int announcesPending;

  private PeerLookupTarget(
      NodeId infoHash, PeerListener listener, int port, boolean impliedPort, boolean announce) {
    this.infoHash = infoHash;
    this.listener = listener;
    this.port = port;
    this.impliedPort = impliedPort;
    this.announce = announce;
  }

  /** Returns a plain {@code get_peers} lookup. */
  public static PeerLookupTarget getPeers(NodeId infoHash, PeerListener listener) {
    return new PeerLookupTarget(infoHash, listener, 0, false, false);
  }

  /** Returns a {@code get_peers} lookup that then announces {@code port}. */
  public static PeerLookupTarget announce(
      NodeId infoHash, int port, boolean impliedPort, PeerListener listener) {
    return new PeerLookupTarget(infoHash, listener, port, impliedPort, true);
  }

  /** Tells the target which lookup runs it (for the peer count). */
  public void attach(Lookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public String method() {
    return "get_peers";
  }

  @Override
  public BencodeDictionary.Builder arguments(NodeId target) {
    return BencodeDictionary.builder().put("info_hash", target.toBytes());
  }

  @Override
  public void answered(DhtContact node, KrpcResponse response) {
    Optional<BencodeValue> values = response.values().dictionary().get("values");
    if (values.isEmpty() || !(values.get() instanceof BencodeList list)) {
      return;
    }
    List<InetSocketAddress> fresh = new ArrayList<>();
    for (BencodeValue v : list.values()) {
      if (v instanceof BencodeString s) {
        CompactNodes.parsePeer(s.bytes())
            .filter(p -> reported.size() < MAX_DISTINCT_PEERS && reported.add(p))
            .ifPresent(fresh::add);
      }
    }
    if (!fresh.isEmpty()) {
      lookup.countPeers(fresh.size());
      listener.peersFound(infoHash, List.copyOf(fresh));
    }
  }

  @Override
  public boolean converged(Lookup lookup, List<Lookup.Answer> answered, long nowNanos) {
    if (!announce) {
      return true;
    }
    for (Lookup.Answer a : answered) {
      if (announcesPending == ANNOUNCE_TO) {
        break;
      }
      if (a.token() != null && sendAnnounce(lookup, a, nowNanos)) {
        lookup.countAnnounce();
        announcesPending++;
      }
    }
    return announcesPending == 0;
  }

  private boolean sendAnnounce(Lookup lookup, Lookup.Answer to, long nowNanos) {
    BencodeDictionary.Builder args =
        BencodeDictionary.builder()
            .put("info_hash", infoHash.toBytes())
            .put("port", port)
            .put("token", to.token());
    if (impliedPort) {
      args.put("implied_port", 1);
    }
    QueryCallback callback =
        new QueryCallback() {
          @Override
          public void responded(KrpcResponse response, InetSocketAddress from, long at) {
            announceEnded(lookup, at);
          }

          @Override
          public void failed(long at) {
            announceEnded(lookup, at);
          }
        };
    return lookup
        .network()
        .query(to.node().address(), to.node().id(), "announce_peer", args, callback, nowNanos);
  }

  private void announceEnded(Lookup lookup, long nowNanos) {
    if (--announcesPending == 0) {
      lookup.finish(nowNanos);
    }
  }

  @Override
  public void done(List<Lookup.Answer> answered, LookupStats stats) {
    listener.lookupDone(stats);
  }
}
