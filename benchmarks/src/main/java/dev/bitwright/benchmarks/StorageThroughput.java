package dev.bitwright.benchmarks;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.FileCheck;
import dev.bitwright.storage.FileSystemStorage;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Disk throughput of {@link PieceStore}: writes a multi-file torrent in 16 KiB blocks in random
 * piece order (then forces it to disk), and reads it back for uploads in random piece order with
 * {@code transferBlock} into a loopback socket whose other end discards. Run it next to a {@code
 * dd} baseline on the same disk: {@code benchmarks/storage-vs-dd.sh}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.bitwright.benchmarks.StorageThroughput DIR SIZE_MIB FILES PIECE_KIB write|read|check}. The
 * torrent's piece hashes are fake, so {@code check} finds no valid piece; reading and hashing cost
 * the same either way. Prints one line: {@code <phase> MB/s=<rate> seconds=<time>}.
 */
public final class StorageThroughput {
  private static final int BLOCK = 16 * 1024;

  private StorageThroughput() {}

  /**
   * Runs one phase.
   *
   * @param args folder, size in MiB, number of files, piece size in KiB, and {@code write} or
   *     {@code read}
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long size = Long.parseLong(args[1]) << 20;
    int files = Integer.parseInt(args[2]);
    int pieceLength = Integer.parseInt(args[3]) * 1024;
    Torrent torrent = torrent(size, files, pieceLength);
    try (PieceStore store = new PieceStore(torrent, FileSystemStorage.open(dir, torrent))) {
      List<Integer> order = shuffledPieces(torrent.pieceCount());
      double seconds = args[4].equals("write") ? write(store, order) : read(store, order);
      Console.out()
          .printf(
              Locale.ROOT,
              "%s MB/s=%.1f seconds=%.2f%n",
              args[4],
              torrent.totalLength() / seconds / 1e6,
              seconds);
    }
  }

  private static double write(PieceStore store, List<Integer> order) throws IOException {
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    byte[] random = new byte[BLOCK];
    new Random(1).nextBytes(random);
    block.put(random).flip();
    long start = Console.nanoTime();
    for (int piece : order) {
      int size = store.map().pieceSize(piece);
      for (int offset = 0; offset < size; offset += BLOCK) {
        store.writeBlock(piece, offset, block.duplicate().limit(Math.min(BLOCK, size - offset)));
      }
    }
    store.flush();
    return (Console.nanoTime() - start) / 1e9;
  }

  /** Rechecks every piece with {@link FileCheck} on two lanes (the data is in the page cache). */
  private static double check(PieceStore store) throws Exception {
    ExecutorService lanes = Executors.newFixedThreadPool(2);
    try {
      long start = Console.nanoTime();
      FileCheck.start(store, store.map().allPieces(), lanes, 2, (n, total, bytes) -> {})
          .result()
          .get();
      return (Console.nanoTime() - start) / 1e9;
    } finally {
      lanes.shutdown();
    }
  }

  /** Uploads every piece into a loopback socket drained by a second thread. */
  private static double read(PieceStore store, List<Integer> order) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread drain = new Thread(() -> discard(server), "drain");
      drain.start();
      double seconds;
      try (SocketChannel socket = SocketChannel.open(server.getLocalAddress())) {
        long start = Console.nanoTime();
        for (int piece : order) {
          int size = store.map().pieceSize(piece);
          for (int offset = 0; offset < size; offset += BLOCK) {
            int length = Math.min(BLOCK, size - offset);
            for (long done = 0; done < length; ) {
              done += store.transferBlock(piece, offset + (int) done, length - (int) done, socket);
            }
          }
        }
        seconds = (Console.nanoTime() - start) / 1e9;
      }
      drain.join();
      return seconds;
    }
  }

  private static void discard(ServerSocketChannel server) {
    try (SocketChannel peer = server.accept()) {
      ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
      while (peer.read(sink.clear()) >= 0) {
        // discard
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Integer> shuffledPieces(int count) {
    List<Integer> order = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(7));
    return order;
  }

  /**
   * A torrent of {@code files} equal files; piece hashes are not checked here, so they are fake.
   */
  private static Torrent torrent(long size, int files, int pieceLength) throws Exception {
    long each = size / files;
    List<BencodeValue> list = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      list.add(
          BencodeDictionary.builder()
              .put("length", each + (i == 0 ? 1 : 0))
              .put(
                  "path",
                  BencodeList.of(
                      BencodeString.of("dir" + (i % 4)), BencodeString.of("file-" + i + ".bin")))
              .build());
    }
    long total = each * files + 1;
    int pieces = (int) ((total + pieceLength - 1) / pieceLength);
    BencodeDictionary info =
        BencodeDictionary.builder()
            .put("files", new BencodeList(list))
            .put("name", "storage-bench")
            .put("piece length", pieceLength)
            .put("pieces", new byte[pieces * 20])
            .build();
    byte[] bytes = BencodeEncoder.encode(BencodeDictionary.builder().put("info", info).build());
    return Torrent.parse(bytes);
  }
}
