package dev.bitwright.tracker;

import java.nio.charset.StandardCharsets;

/**
 * Run in a child JVM by {@link DictionaryPeerLookupTest}: parses an announce reply whose only
 * dictionary peer has the "IP" {@code args[0]} and prints the peers found, one a line.
 */
final class DictionaryPeerLookup {
  private DictionaryPeerLookup() {}

  public static void main(String[] args) throws Exception {
    String ip = args[0];
    byte[] reply =
        ("d5:peersld2:ip" + ip.length() + ":" + ip + "4:porti6881eeee")
            .getBytes(StandardCharsets.US_ASCII);
    for (var peer : HttpTracker.parseAnnounce(reply).peers()) {
      System.out.println("PEER " + peer.getAddress().getHostAddress() + ":" + peer.getPort());
    }
    System.out.println("DONE");
  }
}
