/**
 * The Bitwright session: a complete BitTorrent client to embed. Start with {@link
 * dev.bitwright.session.TorrentSession}.
 */
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
  requires jdk.jfr;

  exports dev.bitwright.session;
}
