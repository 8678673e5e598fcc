package dev.bitwright.dht.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Learns our external IP from the BEP 42 {@code ip} fields of responses to our queries. Each
 * responding node (by address) has one vote, its latest; the {@value #VOTERS} most recent voters
 * count. An IP wins once at least {@value #MIN_VOTES} voters name it and more voters name it than
 * any other IP. Only answers to our own queries vote, so an address must first be queried by us.
 */
public final class ExternalAddressVote {
  /** How many recent voters are remembered. */
  public static final int VOTERS = 50;

  /** The fewest votes that make an IP our address. */
  public static final int MIN_VOTES = 3;

  private final Map<InetSocketAddress, InetAddress> votes =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, InetAddress> eldest) {
          return size() > VOTERS;
        }
      };

  /** Records that {@code voter} saw us as {@code seen}; returns the winning IP, if any. */
  public Optional<InetAddress> vote(InetSocketAddress voter, InetAddress seen) {
    votes.put(voter, seen);
    Map<InetAddress, Integer> tally = new HashMap<>();
    votes.values().forEach(ip -> tally.merge(ip, 1, Integer::sum));
    InetAddress best = null;
    int bestVotes = 0;
    boolean tie = false;
    for (Map.Entry<InetAddress, Integer> e : tally.entrySet()) {
      if (e.getValue() > bestVotes) {
        best = e.getKey();
        bestVotes = e.getValue();
        tie = false;
      } else if (e.getValue() == bestVotes) {
        tie = true;
      }
    }
    return bestVotes >= MIN_VOTES && !tie ? Optional.of(best) : Optional.empty();
  }
}
