package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import java.net.InetSocketAddress;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A peer finished its handshake and joined a torrent. */
@Name("dev.bitwright.PeerConnected")
@Label("Peer Connected")
@Category({"Bitwright", "Peers"})
@Description("A peer finished its handshake and joined a torrent")
@StackTrace(false)
@SuppressForbidden
public final class PeerConnectedEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description("The torrent's best info-hash (v2 where it has one), in hex")
  String infoHash;

  @Label("Peer")
  String peer;

  @Label("Client")
  @Description("The client name the peer gave (BEP 10 \"v\" or its peer id), or empty")
  String client;

  @Label("Transport")
  @Description("TCP or uTP")
  String transport;

  @Label("Outgoing")
  @Description("Whether we dialled the peer")
  boolean outgoing;

  @Label("Encrypted")
  @Description("Whether the connection is RC4-encrypted (MSE)")
  boolean encrypted;

  /** Records a connected peer, if the event is enabled. */
  public static void record(
      InfoHashes torrent,
      InetSocketAddress peer,
      String client,
      boolean overUtp,
      boolean outgoing,
      boolean encrypted) {
    PeerConnectedEvent event = new PeerConnectedEvent();
    if (event.shouldCommit()) {
      event.infoHash = torrent.best().hex();
      event.peer = Peers.format(peer);
      event.client = client;
      event.transport = overUtp ? "uTP" : "TCP";
      event.outgoing = outgoing;
      event.encrypted = encrypted;
      event.commit();
    }
  }
}
