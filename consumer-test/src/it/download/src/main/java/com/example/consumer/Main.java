package com.example.consumer;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.Metric;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.TorrentSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a user of the published artifacts does: makes a torrent of a file, seeds it from one session
 * and downloads it with another over 127.0.0.1, and checks the bytes. Exits 1 if anything is wrong.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String how = args.length > 0 ? args[0] : "class-path";
    boolean onModulePath = Main.class.getModule().isNamed();
    if (onModulePath != how.equals("module-path")) {
      fail("expected to run on the " + how + ", but the module is " + Main.class.getModule());
    }
    Module bitwright = TorrentSession.class.getModule();
    if (onModulePath
        && (!bitwright.isNamed() || bitwright.getDescriptor().isAutomatic()
            || !bitwright.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .allMatch(e -> e.source().equals("dev.bitwright.session")))) {
      fail(
          "dev.bitwright.session is not an explicit module exporting only its API to everyone: "
              + bitwright);
    }
    Path dir = Files.createTempDirectory("bitwright-consumer");
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path file = seedDir.resolve("patch.bin");
    byte[] bytes = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    Torrent torrent = TorrentBuilder.create(file).pieceLength(64 * 1024).build();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    SessionConfig config = SessionConfig.builder().listenAddress(loopback).build();
    try (TorrentSession seeder = TorrentSession.start(config);
        TorrentSession leecher = TorrentSession.start(config)) {
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(30, TimeUnit.SECONDS);
      leecher
          .add(
              AddTorrent.torrent(torrent, dir.resolve("download"))
                  .peer(new InetSocketAddress(loopback, seeder.listenAddress().getPort()))
                  .build())
          .completion()
          .get(60, TimeUnit.SECONDS);
      long downloaded = leecher.metrics().get(Metric.DOWNLOADED_FROM_PEERS);
      if (downloaded < bytes.length) {
        fail("the metrics say " + downloaded + " bytes came, of " + bytes.length);
      }
    }
    byte[] expected = sha256(file);
    byte[] actual = sha256(dir.resolve("download").resolve("patch.bin"));
    if (!Arrays.equals(expected, actual)) {
      fail("the downloaded file differs from the seed's");
    }
    deleteTree(dir);
    System.out.println(
        "consumer on the " + how + ": downloaded and verified " + bytes.length + " bytes, sha256 "
            + HexFormat.of().formatHex(actual));
  }

  private static byte[] sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return digest.digest();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void fail(String message) {
    System.err.println("consumer test failed: " + message);
    System.exit(1);
  }
}
