package dev.bitwright.examples;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.TorrentHandle;
import dev.bitwright.session.TorrentSession;
import dev.bitwright.wire.EncryptionPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code bitwright demo}: a swarm in this process on 127.0.0.1 — one seeder and three leechers
 * (plaintext, encryption enabled, encryption forced) of a generated payload — shown as it runs,
 * then every downloaded file is compared with the original by SHA-256. Needs no network.
 */
final class DemoCommand {
  static final String USAGE = "demo [--size MIB] [--leechers N]";

  private DemoCommand() {}

  static void run(Arguments args, PrintStream out, Clock clock)
      throws UsageException, IOException, CommandException, InterruptedException {
    int sizeMib = 64;
    int leechers = 3;
    while (!args.isEmpty()) {
      String word = args.next();
      switch (word) {
        case "--size" -> sizeMib = Math.max(1, Sizes.parse(args.value(word) + "M", word) >> 20);
        case "--leechers" -> leechers = args.number(word, 1, 16);
        default -> throw new UsageException("unknown option for demo: " + word);
      }
    }
    Path work = Files.createTempDirectory("bitwright-demo-");
    try {
      runSwarm(work, sizeMib, leechers, out, clock);
    } finally {
      deleteTree(work);
    }
  }

  private static void runSwarm(
      Path work, int sizeMib, int leecherCount, PrintStream out, Clock clock)
      throws IOException, CommandException, InterruptedException {
    Path seedDir = work.resolve("seed");
    Path payload = seedDir.resolve("demo-payload");
    writePayload(payload, sizeMib);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    out.printf(
        Locale.ROOT,
        "demo: %s in %d files, %d pieces, 1 seeder and %d leechers on 127.0.0.1%n",
        Sizes.human(torrent.totalLength()),
        torrent.files().size(),
        torrent.pieceCount(),
        leecherCount);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    EncryptionPolicy[] policies = {
      EncryptionPolicy.DISABLED, EncryptionPolicy.ENABLED, EncryptionPolicy.FORCED
    };
    List<TorrentSession> sessions = new ArrayList<>();
    try {
      TorrentSession seeder =
          TorrentSession.start(
              SessionConfig.builder()
                  .listenAddress(loopback)
                  .encryption(EncryptionPolicy.ENABLED)
                  .build());
      sessions.add(seeder);
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().join();
      InetSocketAddress seedAddress =
          new InetSocketAddress(loopback, seeder.listenAddress().getPort());
      List<TorrentHandle> handles = new ArrayList<>();
      Instant start = clock.instant();
      for (int i = 0; i < leecherCount; i++) {
        EncryptionPolicy policy = policies[i % policies.length];
        TorrentSession leecher =
            TorrentSession.start(
                SessionConfig.builder().listenAddress(loopback).encryption(policy).build());
        sessions.add(leecher);
        handles.add(
            leecher.add(
                AddTorrent.torrent(torrent, work.resolve("leecher-" + (i + 1)))
                    .peer(seedAddress)
                    .build()));
      }
      Instant deadline = start.plus(Duration.ofMinutes(5));
      CompletableFuture<Void> all =
          CompletableFuture.allOf(
              handles.stream().map(TorrentHandle::completion).toArray(CompletableFuture[]::new));
      while (!all.isDone()) {
        if (clock.instant().isAfter(deadline)) {
          throw new CommandException("demo: the swarm did not finish within 5 minutes");
        }
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < handles.size(); i++) {
          line.append(
              String.format(
                  Locale.ROOT,
                  "leecher %d: %5.1f%%   ",
                  i + 1,
                  handles.get(i).status().progress() * 100));
        }
        out.println(line);
        try {
          // Returns as soon as the last leecher finishes, so the time reported is the swarm's.
          all.get(500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // Not finished yet: print progress again.
        } catch (ExecutionException e) {
          throw new CommandException("demo: a download failed: " + e.getCause().getMessage());
        }
      }
      double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
      for (int i = 0; i < handles.size(); i++) {
        verify(torrent, seedDir, work.resolve("leecher-" + (i + 1)), i + 1, out);
      }
      out.printf(
          Locale.ROOT,
          "demo: %d leechers downloaded %s each in %.1f s; every file verified by SHA-256%n",
          leecherCount,
          Sizes.human(torrent.totalLength()),
          seconds);
    } finally {
      for (TorrentSession s : sessions) {
        s.close();
      }
    }
  }

  private static void verify(Torrent torrent, Path seedDir, Path leecherDir, int n, PrintStream out)
      throws IOException, CommandException {
    for (FileEntry f : torrent.files()) {
      Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
      if (!Arrays.equals(sha256(seedDir.resolve(relative)), sha256(leecherDir.resolve(relative)))) {
        throw new CommandException("demo: leecher " + n + " has a different " + relative);
      }
    }
    out.println("  leecher " + n + ": every file matches the original");
  }

  private static void writePayload(Path payload, int sizeMib) throws IOException {
    Files.createDirectories(payload.resolve("data"));
    SplittableRandom random = new SplittableRandom(2026);
    long total = (long) sizeMib << 20;
    long[] sizes = {total / 2, total / 4, total / 4 - 12_345, 12_345};
    String[] names = {"data/part-1.bin", "data/part-2.bin", "readme.bin", "small.bin"};
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < sizes.length; i++) {
      try (OutputStream o = Files.newOutputStream(payload.resolve(names[i]))) {
        for (long left = sizes[i]; left > 0; ) {
          random.nextBytes(chunk);
          int n = (int) Math.min(chunk.length, left);
          o.write(chunk, 0, n);
          left -= n;
        }
      }
    }
  }

  private static byte[] sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
