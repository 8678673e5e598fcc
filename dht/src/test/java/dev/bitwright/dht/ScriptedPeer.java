package dev.bitwright.dht;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.dht.internal.KrpcCodec;
import dev.bitwright.dht.internal.KrpcMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A remote DHT node played by a test: it writes KRPC messages and reads the node's replies. */
final class ScriptedPeer {
  final NodeId id;
  final InetSocketAddress address;

  ScriptedPeer(NodeId id, InetSocketAddress address) {
    this.id = id;
    this.address = address;
  }

  static InetSocketAddress address(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static ScriptedPeer at(String ip, int port, int idByte) {
    byte[] id = new byte[NodeId.LENGTH];
    id[0] = (byte) idByte;
    id[19] = 1;
    return new ScriptedPeer(NodeId.of(id), address(ip, port));
  }

  /** Returns the arguments of a query by this peer: its id and {@code more}. */
  BencodeDictionary.Builder args() {
    return KrpcCodec.withId(id);
  }

  ByteBuffer query(String transactionId, String method, BencodeDictionary.Builder args) {
    return ByteBuffer.wrap(
        KrpcCodec.query(transactionId.getBytes(), method, args.build(), false, null));
  }

  ByteBuffer response(byte[] transactionId, BencodeDictionary.Builder values) {
    return ByteBuffer.wrap(
        BencodeEncoder.encode(KrpcCodec.response(transactionId, values.build(), null, null)));
  }

  /** Sends {@code datagram} to {@code node} and returns every datagram the node queued. */
  List<DhtDatagram> send(DhtNode node, ByteBuffer datagram, long now) {
    node.receive(address, datagram, now);
    return drain(node);
  }

  static List<DhtDatagram> drain(DhtNode node) {
    List<DhtDatagram> out = new ArrayList<>();
    for (DhtDatagram d; (d = node.poll()) != null; ) {
      out.add(d);
    }
    return out;
  }

  static KrpcMessage decode(DhtDatagram datagram) {
    try {
      return KrpcCodec.decode(datagram.payload());
    } catch (DhtException e) {
      throw new AssertionError("the node sent a malformed message", e);
    }
  }
}
