package dev.bitwright.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Random;

/**
 * This machine's limit for one transfer: the least work any BitTorrent leecher and seed must do per
 * byte, done with nothing else. One thread writes {@code SIZE_MIB} into a loopback TCP socket (the
 * seed's kernel copy); the other reads it (the leecher's kernel copy), copies it into 1 MiB pieces
 * in memory and SHA-1-hashes each piece. No protocol, no disk, no picking: a client's rate is best
 * read as a share of this one, measured in the same run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.bitwright.benchmarks.TransferCalibration SIZE_MIB [ROUNDS]}. Prints one line per round,
 * {@code calibration MB/s=<rate> seconds=<time>}; the first rounds include the JIT's warm-up.
 */
public final class TransferCalibration {
  private static final int PIECE = 1 << 20;

  private TransferCalibration() {}

  /**
   * Runs the calibration.
   *
   * @param args the size in MiB, and the number of rounds (default 3)
   */
  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[0]) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int round = 0; round < rounds; round++) {
      double seconds = transfer(size);
      Console.out()
          .printf(
              Locale.ROOT, "calibration MB/s=%.1f seconds=%.2f%n", size / seconds / 1e6, seconds);
    }
  }

  private static double transfer(long size) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread sender = new Thread(() -> send(server, size), "calibration-sender");
      long start = Console.nanoTime();
      sender.start();
      try (SocketChannel socket = SocketChannel.open(server.getLocalAddress())) {
        receive(socket, size);
      }
      double seconds = (Console.nanoTime() - start) / 1e9;
      sender.join();
      return seconds;
    }
  }

  private static void send(ServerSocketChannel server, long size) {
    ByteBuffer data = ByteBuffer.allocateDirect(PIECE);
    byte[] random = new byte[PIECE];
    new Random(1).nextBytes(random);
    data.put(random);
    try (SocketChannel peer = server.accept()) {
      for (long sent = 0; sent < size; ) {
        data.clear().limit((int) Math.min(PIECE, size - sent));
        while (data.hasRemaining()) {
          sent += peer.write(data);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void receive(SocketChannel socket, long size) throws IOException {
    MessageDigest sha1 = sha1();
    ByteBuffer socketBuffer = ByteBuffer.allocateDirect(256 * 1024);
    byte[] piece = new byte[PIECE];
    int inPiece = 0;
    for (long received = 0; received < size; ) {
      int n = socket.read(socketBuffer.clear());
      if (n < 0) {
        throw new IOException("the sender closed early");
      }
      received += n;
      socketBuffer.flip();
      while (socketBuffer.hasRemaining()) {
        int take = Math.min(socketBuffer.remaining(), PIECE - inPiece);
        socketBuffer.get(piece, inPiece, take);
        inPiece += take;
        if (inPiece == PIECE || received == size && !socketBuffer.hasRemaining()) {
          sha1.update(piece, 0, inPiece);
          sha1.digest();
          inPiece = 0;
        }
      }
    }
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
