package dev.bitwright.session.internal.peer;

import dev.bitwright.session.PeerSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Addresses a torrent may connect to (from trackers, the user, PEX, the DHT), with a back-off for
 * those that failed (10 s doubling up to 30 minutes), and the peers banned (by {@link PeerKey}). At
 * most {@value #MAX} addresses are kept; the oldest unused ones go first.
 */
public final class PeerCandidates {
  static final int MAX = 2000;
  private static final long FIRST_RETRY = 10_000_000_000L;
  private static final long MAX_RETRY = 30L * 60 * 1_000_000_000L;

  private static final class Candidate {
    final PeerSource source;
    int failures;
    long notBefore;
    boolean connected;

    Candidate(PeerSource source) {
      this.source = source;
    }
  }

  /** Banned peers of one address above which the whole address is banned. */
  static final int BANS_PER_ADDRESS = 3;

  /** The most banned peers remembered (the oldest are forgotten first). */
  static final int MAX_BANNED_PEERS = 10_000;

  private final Map<InetSocketAddress, Candidate> candidates = new LinkedHashMap<>();
  private final Set<PeerKey> bannedPeers =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerKey, Boolean> eldest) {
              return size() > MAX_BANNED_PEERS;
            }
          });
  private final Map<InetAddress, Integer> bansPerAddress = new HashMap<>();
  private final Set<InetAddress> bannedAddresses = new HashSet<>();
  private final Set<InetSocketAddress> bannedEndpoints = new HashSet<>();

  /** Adds an address learnt of from {@code source} (ignored if banned or already known). */
  public void add(InetSocketAddress address, PeerSource source) {
    if (address.isUnresolved()
        || address.getPort() == 0
        || bannedAddresses.contains(address.getAddress())
        || bannedEndpoints.contains(address)) {
      return;
    }
    if (candidates.size() >= MAX && !candidates.containsKey(address)) {
      var it = candidates.entrySet().iterator();
      while (it.hasNext()) {
        if (!it.next().getValue().connected) {
          it.remove();
          break;
        }
      }
    }
    candidates.putIfAbsent(address, new Candidate(source));
  }

  /** Returns where the torrent first learnt of {@code address}, if it is a candidate. */
  public Optional<PeerSource> sourceOf(InetSocketAddress address) {
    Candidate c = candidates.get(address);
    return c == null ? Optional.empty() : Optional.of(c.source);
  }

  /** Returns up to {@code count} addresses to try now, marking them as in use. */
  public List<InetSocketAddress> take(int count, long now) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (Map.Entry<InetSocketAddress, Candidate> e : candidates.entrySet()) {
      if (out.size() >= count) {
        break;
      }
      Candidate c = e.getValue();
      if (!c.connected && now - c.notBefore >= 0) {
        c.connected = true;
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** Lifts the back-off of {@code address}: the user asked for it by hand. */
  public void retryNow(InetSocketAddress address, long now) {
    Candidate c = candidates.get(address);
    if (c != null) {
      c.notBefore = now;
    }
  }

  /**
   * Lifts the back-off of every address whose last connection worked: the torrent starts again, and
   * those connections ended only because it stopped.
   */
  public void restarted(long now) {
    for (Candidate c : candidates.values()) {
      if (c.failures == 0) {
        c.notBefore = now;
      }
    }
  }

  /** Marks an address as in use (an incoming connection from it, or a manual add). */
  public void inUse(InetSocketAddress address) {
    Candidate c = candidates.get(address);
    if (c != null) {
      c.connected = true;
    }
  }

  /** The connection to {@code address} ended; {@code failed} if it never worked. */
  public void released(InetSocketAddress address, boolean failed, long now) {
    Candidate c = candidates.get(address);
    if (c == null) {
      return;
    }
    c.connected = false;
    c.failures = failed ? c.failures + 1 : 0;
    long wait =
        failed ? Math.min(MAX_RETRY, FIRST_RETRY << Math.min(c.failures - 1, 20)) : FIRST_RETRY;
    c.notBefore = now + wait;
  }

  /**
   * Bans a peer: itself, not its whole address, which others may share (a NAT, a VPN exit). Its
   * {@code endpoint} (where it listens, if known) is dialled no more. Once {@value
   * #BANS_PER_ADDRESS} peers of one address are banned, the address is: a liar cannot escape by
   * reconnecting under new peer ids.
   */
  public void ban(PeerKey peer, InetSocketAddress endpoint) {
    if (bannedPeers.add(peer)
        && bansPerAddress.merge(peer.address(), 1, Integer::sum) >= BANS_PER_ADDRESS) {
      bannedAddresses.add(peer.address());
      candidates.keySet().removeIf(a -> a.getAddress().equals(peer.address()));
    }
    if (endpoint != null) {
      bannedEndpoints.add(endpoint);
      candidates.remove(endpoint);
    }
  }

  /** Returns whether {@code peer} is banned, by itself or with its address. */
  public boolean isBanned(PeerKey peer) {
    return bannedAddresses.contains(peer.address()) || bannedPeers.contains(peer);
  }

  /** Returns whether some address could be tried now. */
  public boolean anyReady(long now) {
    for (Candidate c : candidates.values()) {
      if (!c.connected && now - c.notBefore >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Returns the number of known addresses. */
  int size() {
    return candidates.size();
  }
}
