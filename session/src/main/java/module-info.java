/**
 * The Bitwright session: a complete BitTorrent client to embed. Start with {@link
 * dev.bitwright.session.TorrentSession}.
 */
// The simulation module is built after this one: its name is not known yet when this compiles.
@SuppressWarnings("module")
module dev.bitwright.session {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.metainfo;
  requires transitive dev.bitwright.storage;
  requires transitive dev.bitwright.wire;
  requires dev.bitwright.tracker;
  requires transitive dev.bitwright.dht;
  requires dev.bitwright.utp;
  requires transitive com.google.common;
  requires org.slf4j;
  requires java.net.http;
  requires java.xml;
  requires jdk.jfr;

  exports dev.bitwright.session;
  // The simulated network and the engine, for the swarm simulation kit alone.
  exports dev.bitwright.session.internal.net to
      dev.bitwright.simulation;
  exports dev.bitwright.session.internal.engine to
      dev.bitwright.simulation;
  exports dev.bitwright.session.internal.torrent to
      dev.bitwright.simulation;
}
