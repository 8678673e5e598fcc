package dev.bitwright.benchmarks;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageDecoder;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireLimits;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Cheap attacks on a seed's resources, for {@code benchmarks/hostile-seed.sh}: each mode opens
 * connections from 127.0.0.2 (so that an honest peer on 127.0.0.1 is told apart, as attackers'
 * addresses are in life) and keeps at it until the process is killed.
 *
 * <pre>
 * java -cp benchmarks.jar dev.bitwright.benchmarks.HostileNetwork MODE PORT TORRENT
 *   idle       connect and close as fast as possible, 500 connections held open meanwhile
 *   metadata   45 peers ask for the metadata 4,500 times each and never read
 *   hogs       20 peers are interested, ask for blocks and never read
 *   storm      2,000 connections at once, held open, sending nothing
 *   slowloris  reconnect as fast as possible, sending nothing, 300 held open
 * </pre>
 */
@SuppressForbidden
public final class HostileNetwork {
  private static final InetAddress ATTACKER = address();

  private final InetSocketAddress seed;
  private final byte[] infoHash;

  private HostileNetwork(InetSocketAddress seed, byte[] infoHash) {
    this.seed = seed;
    this.infoHash = infoHash;
  }

  /**
   * Runs the attack named by {@code args[0]} on port {@code args[1]} for torrent {@code args[2]}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: MODE PORT TORRENT");
    }
    Torrent torrent = Torrent.read(Path.of(args[2]));
    InetSocketAddress seed =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]));
    HostileNetwork attack = new HostileNetwork(seed, torrent.infoHashes().wireHashes().get(0));
    switch (args[0]) {
      case "idle" -> attack.reconnect(500);
      case "slowloris" -> attack.reconnect(300);
      case "storm" -> attack.storm(2000);
      case "hogs" -> attack.inParallel(20, attack::hog);
      case "metadata" -> attack.inParallel(45, attack::floodMetadata);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** Connects and closes as fast as possible, {@code held} connections open at any time. */
  private void reconnect(int held) {
    ArrayDeque<Socket> open = new ArrayDeque<>();
    while (true) {
      try {
        open.add(connect(0));
        if (open.size() > held) {
          open.poll().close();
        }
      } catch (IOException e) {
        // refused or reset: again
      }
    }
  }

  private void storm(int count) throws InterruptedException {
    List<Socket> open = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      try {
        open.add(connect(0));
      } catch (IOException e) {
        // refused: the next one
      }
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  private interface Attacker {
    void run() throws IOException;
  }

  private void inParallel(int peers, Attacker attacker) throws InterruptedException {
    for (int i = 0; i < peers; i++) {
      Thread t =
          new Thread(
              () -> {
                while (true) {
                  try {
                    attacker.run();
                  } catch (IOException e) {
                    // closed by the seed: come back
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Interested, asks for 400 blocks, never reads. */
  private void hog() throws IOException {
    try (Socket s = connect(4096)) {
      handshake(s);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      append(burst, new PeerMessage.Interested());
      for (int i = 0; i < 400; i++) {
        append(burst, new PeerMessage.Request(i % 16, 0, 16 * 1024));
      }
      s.getOutputStream().write(burst.toByteArray());
      sleepUntilClosed(s);
    }
  }

  /** Asks for the metadata 4,500 times in one go, never reads. */
  private void floodMetadata() throws IOException {
    try (Socket s = connect(4096)) {
      DataInputStream in = handshake(s);
      OutputStream out = s.getOutputStream();
      byte[] ours =
          new ExtensionHandshake(
                  Map.of(ExtensionHandshake.UT_METADATA, 2),
                  Optional.empty(),
                  OptionalInt.empty(),
                  OptionalInt.empty(),
                  Optional.empty(),
                  OptionalInt.empty(),
                  false,
                  false)
              .encode();
      write(out, new PeerMessage.Extended(0, ours));
      int theirs = seedsMetadataId(in);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < 4500; i++) {
        append(burst, new PeerMessage.Extended(theirs, new MetadataMessage.Request(0).encode()));
      }
      out.write(burst.toByteArray());
      sleepUntilClosed(s);
    }
  }

  private int seedsMetadataId(DataInputStream in) throws IOException {
    MessageDecoder decoder = new MessageDecoder(WireLimits.unknownTorrent());
    while (true) {
      int length = in.readInt();
      byte[] frame = new byte[4 + length];
      ByteBuffer.wrap(frame).putInt(length);
      in.readFully(frame, 4, length);
      if (decoder.decode(ByteBuffer.wrap(frame)) instanceof PeerMessage.Extended e && e.id() == 0) {
        return ExtensionHandshake.decode(e.payload())
            .idOf(ExtensionHandshake.UT_METADATA)
            .orElseThrow(() -> new IOException("no ut_metadata"));
      }
    }
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.bind(new InetSocketAddress(ATTACKER, 0));
    s.connect(seed, 5000);
    return s;
  }

  private DataInputStream handshake(Socket s) throws IOException {
    s.getOutputStream()
        .write(
            Handshake.of(
                    infoHash, PeerId.generate(new SplittableRandom()), false, true, true, false)
                .toBytes());
    DataInputStream in = new DataInputStream(s.getInputStream());
    in.readFully(new byte[Handshake.LENGTH]);
    return in;
  }

  private static void sleepUntilClosed(Socket s) throws IOException {
    try {
      while (!s.isClosed()) {
        Thread.sleep(60_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void write(OutputStream out, PeerMessage m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    append(bytes, m);
    out.write(bytes.toByteArray());
  }

  private static void append(ByteArrayOutputStream out, PeerMessage m) {
    ByteBuffer b = MessageEncoder.encode(m);
    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
  }

  private static InetAddress address() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
