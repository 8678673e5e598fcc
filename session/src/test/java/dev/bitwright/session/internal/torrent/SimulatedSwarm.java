package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.engine.Engine;
import dev.bitwright.session.internal.net.SimulatedNetwork;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.storage.FileState;
import dev.bitwright.storage.InMemoryStorage;
import dev.bitwright.storage.Storage;
import dev.bitwright.wire.EncryptionPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Engines on a {@link SimulatedNetwork}, each with its torrent in memory: seeds that start with the
 * payload, leechers that start empty, and optionally a seed whose uploads are corrupt.
 */
final class SimulatedSwarm {
  static final int PORT = 6881;
  private static final long ADD_LIMIT_NANOS = 60_000_000_000L;

  final SimulatedNetwork network;
  final Torrent torrent;
  final List<byte[]> files;
  final List<Member> members = new ArrayList<>();

  /** One engine of the swarm. */
  static final class Member {
    final SimulatedNetwork.Host host;
    final Storage storage;
    TorrentRuntime runtime;
    long completedAt = -1;

    Member(SimulatedNetwork.Host host, Storage storage) {
      this.host = host;
      this.storage = storage;
    }

    InetAddress address() {
      return host.address.getAddress();
    }

    boolean complete() {
      return completedAt >= 0;
    }
  }

  SimulatedSwarm(SimulatedNetwork network, Torrent torrent, List<byte[]> files) {
    this.network = network;
    this.torrent = torrent;
    this.files = files;
  }

  /** Adds a seed: its storage holds the payload; with {@code corrupt}, what it uploads is not. */
  Member addSeed(String ip, boolean corrupt) throws IOException {
    return addSeed(ip, corrupt, 0);
  }

  /**
   * Adds a seed as {@link #addSeed(String, boolean)} that uploads at most {@code bytesPerSecond}.
   */
  Member addSeed(String ip, boolean corrupt, long bytesPerSecond) throws IOException {
    CorruptibleStorage storage = new CorruptibleStorage();
    for (int i = 0; i < files.size(); i++) {
      storage.write(i, 0, ByteBuffer.wrap(files.get(i)));
    }
    Member seed = add(ip, storage, List.of(), false, 0, bytesPerSecond);
    // Its check runs in disk tasks at the current instant: let it finish before anything else.
    if (!network.runUntil(seed::complete, 0)) {
      throw new IllegalStateException("the seed at " + ip + " did not verify its data");
    }
    if (corrupt) {
      storage.corrupt = true; // only now: its own check at start saw the right bytes
    }
    return seed;
  }

  /**
   * Adds a leecher that knows {@code peers} at the start; with {@code magnet}, it starts from a
   * magnet link and fetches the metadata from them first.
   */
  Member addLeecher(String ip, List<Member> peers, boolean magnet) throws IOException {
    return add(ip, new InMemoryStorage(), peers, magnet, 0, 0);
  }

  /** Adds a leecher as {@link #addLeecher} with at most {@code connections} peers at a time. */
  Member addLeecher(String ip, List<Member> peers, int connections) throws IOException {
    return add(ip, new InMemoryStorage(), peers, false, connections, 0);
  }

  /** Adds a member; 0 for {@code connections} or {@code uploadLimit} keeps the default. */
  private Member add(
      String ip,
      Storage storage,
      List<Member> peers,
      boolean magnet,
      int connections,
      long uploadLimit)
      throws IOException {
    SimulatedNetwork.Host host =
        network.host(new InetSocketAddress(InetAddress.getByName(ip), PORT));
    SessionConfig.Builder settings = SessionConfig.builder().encryption(EncryptionPolicy.DISABLED);
    if (connections > 0) {
      settings.maxConnectionsPerTorrent(connections);
    }
    SessionConfig config = settings.build();
    Engine engine = new Engine(config, host, host.disk(), network.split());
    Member member = new Member(host, storage);
    Path folder = Path.of("simulated", ip);
    AddTorrent.Builder request =
        (magnet
                ? AddTorrent.magnet(MagnetLink.of(torrent.infoHashes()), folder)
                : AddTorrent.torrent(torrent, folder))
            .storage((f, t) -> storage)
            .rateLimits(0, uploadLimit);
    peers.forEach(p -> request.peer(p.host.address));
    CompletableFuture<TorrentRuntime> added = engine.add(request.build());
    if (!network.runUntil(added::isDone, ADD_LIMIT_NANOS)) {
      throw new IllegalStateException("the torrent was not added on " + ip);
    }
    member.runtime = added.join();
    member.runtime.completion().thenRun(() -> member.completedAt = network.now());
    members.add(member);
    return member;
  }

  /**
   * Returns the pieces whose availability in {@code member}'s picker differs from the number of its
   * connected peers that have them, as "piece: counted/actual" (empty when all agree or the member
   * has no picker yet).
   */
  static List<String> availabilityMismatches(Member member) {
    TorrentRuntime runtime = member.runtime;
    if (!runtime.dataKnown()) {
      return List.of();
    }
    List<String> mismatches = new ArrayList<>();
    for (int piece = 0; piece < runtime.data().pieceCount(); piece++) {
      int actual = 0;
      for (PeerConnection p : runtime.peers()) {
        if (p.state().has(piece)) {
          actual++;
        }
      }
      int counted = runtime.data().picker().availability(piece);
      if (counted != actual) {
        mismatches.add(piece + ": " + counted + "/" + actual);
      }
    }
    return mismatches;
  }

  /** Returns whether every member has all the data. */
  boolean allComplete() {
    return members.stream().allMatch(Member::complete);
  }

  /** Returns the SHA-256 of each file as {@code member} stores it. */
  List<ByteBuffer> digests(Member member) throws IOException {
    List<ByteBuffer> result = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      ByteBuffer bytes = ByteBuffer.allocate(files.get(i).length);
      while (bytes.hasRemaining()) {
        if (member.storage.read(i, bytes.position(), bytes) <= 0) {
          break;
        }
      }
      result.add(ByteBuffer.wrap(sha256(bytes.array())));
    }
    return result;
  }

  /** Returns the SHA-256 of each payload file. */
  List<ByteBuffer> expectedDigests() {
    return files.stream().map(f -> ByteBuffer.wrap(sha256(f))).toList();
  }

  /** Creates the payload: {@code sizes.length} files of random bytes from {@code random}. */
  static List<byte[]> payload(SplittableRandom random, int... sizes) {
    List<byte[]> result = new ArrayList<>();
    for (int size : sizes) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      result.add(bytes);
    }
    return result;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Storage in memory whose reads can be made to flip a bit of every block read. */
  private static final class CorruptibleStorage implements Storage {
    private final InMemoryStorage delegate = new InMemoryStorage();
    boolean corrupt;

    @Override
    public int read(int file, long position, ByteBuffer target) throws IOException {
      int start = target.position();
      int n = delegate.read(file, position, target);
      if (corrupt && n > 0) {
        target.put(start, (byte) (target.get(start) ^ 0x01));
      }
      return n;
    }

    @Override
    public void write(int file, long position, ByteBuffer source) throws IOException {
      delegate.write(file, position, source);
    }

    @Override
    public Optional<FileState> state(int file) throws IOException {
      return delegate.state(file);
    }

    @Override
    public void flush() {
      delegate.flush();
    }

    @Override
    public void delete() {
      delegate.delete();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
