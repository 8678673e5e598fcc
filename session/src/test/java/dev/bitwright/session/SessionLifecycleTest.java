package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FilePriority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SessionLifecycleTest {
  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = seedDir.resolve("payload");
    Files.createDirectories(payload);
    Random random = new Random(5);
    for (int i = 0; i < 4; i++) {
      byte[] bytes = new byte[600_000 + i * 100_000];
      random.nextBytes(bytes);
      Files.write(payload.resolve("f" + i + ".bin"), bytes);
    }
    torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
  }

  private static SessionConfig config() {
    return SessionConfig.builder().listenAddress(InetAddress.getLoopbackAddress()).build();
  }

  private static InetSocketAddress peer(TorrentSession s) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.listenAddress().getPort());
  }

  private static Set<String> ourThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("bitwright-"))
        .collect(Collectors.toSet());
  }

  private static List<String> openDescriptors() throws IOException {
    List<String> targets = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          targets.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException gone) {
          // closed while listing
        }
      }
    }
    return targets;
  }

  @Test
  void closeReleasesEveryThreadSocketAndFile() throws Exception {
    long socketsBefore = openDescriptors().stream().filter(t -> t.startsWith("socket:")).count();
    TorrentSession seeder = TorrentSession.start(config());
    TorrentSession leecher = TorrentSession.start(config());
    seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, TimeUnit.SECONDS);
    TorrentHandle leech =
        leecher.add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(peer(seeder)).build());
    leech.completion().get(30, TimeUnit.SECONDS);
    assertThat(ourThreads()).contains("bitwright-io", "bitwright-disk-1");
    long started = System.nanoTime();
    seeder.close();
    leecher.close();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!ourThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ourThreads()).isEmpty();
    List<String> after = openDescriptors();
    assertThat(after).noneMatch(t -> t.startsWith(dir.toString()));
    assertThat(after.stream().filter(t -> t.startsWith("socket:")).count())
        .isLessThanOrEqualTo(socketsBefore);
  }

  @Test
  void duplicateAddIsReportedAndRemoveDeletesFiles() throws Exception {
    try (TorrentSession session = TorrentSession.start(config())) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      assertThatThrownBy(() -> session.add(AddTorrent.torrent(torrent, dir.resolve("x")).build()))
          .isInstanceOf(DuplicateTorrentException.class);
      assertThat(session.torrents()).hasSize(1);
      session.remove(handle, RemoveOption.DELETE_FILES).get(10, TimeUnit.SECONDS);
      assertThat(session.torrents()).isEmpty();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (Files.exists(seedDir.resolve("payload/f0.bin")) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(seedDir.resolve("payload/f0.bin")).doesNotExist();
      assertThat(handle.completion()).isDone();
    }
  }

  @Test
  void pauseAndResumeAsOftenAsWantedAndEventsComeOnTheEventThread() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (TorrentSession seeder = TorrentSession.start(config());
        TorrentSession leecher = TorrentSession.start(config())) {
      leecher.addListener(
          e -> {
            threads.add(Thread.currentThread().getName());
            events.add(e);
          });
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("dl"))
                  .peer(peer(seeder))
                  .paused(true)
                  .build());
      assertThat(leech.status().state()).isEqualTo(TorrentState.PAUSED);
      for (int i = 0; i < 3; i++) {
        leech.resume();
        Thread.sleep(100);
        leech.pause();
        Thread.sleep(100);
      }
      leech.resume();
      leech.addPeer(peer(seeder));
      leech.completion().get(30, TimeUnit.SECONDS);
      Thread.sleep(200);
    }
    assertThat(threads).isNotEmpty().allMatch("bitwright-events"::equals);
    assertThat(events).anyMatch(e -> e instanceof SessionEvent.TorrentFinished);
    assertThat(events).anyMatch(e -> e instanceof SessionEvent.PeerConnected);
    assertThat(events)
        .filteredOn(e -> e instanceof SessionEvent.PieceVerified)
        .hasSize(torrent.pieceCount());
  }

  @Test
  void skippedFilesAreNotDownloaded() throws Exception {
    try (TorrentSession seeder = TorrentSession.start(config());
        TorrentSession leecher = TorrentSession.start(config())) {
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      Path target = dir.resolve("partial");
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, target)
                  .priorities(
                      List.of(
                          FilePriority.NORMAL,
                          FilePriority.SKIP,
                          FilePriority.SKIP,
                          FilePriority.HIGH))
                  .peer(peer(seeder))
                  .build());
      leech.completion().get(30, TimeUnit.SECONDS);
      assertThat(Files.readAllBytes(target.resolve("payload/f0.bin")))
          .isEqualTo(Files.readAllBytes(seedDir.resolve("payload/f0.bin")));
      assertThat(Files.readAllBytes(target.resolve("payload/f3.bin")))
          .isEqualTo(Files.readAllBytes(seedDir.resolve("payload/f3.bin")));
      assertThat(target.resolve("payload/f2.bin")).doesNotExist();
      assertThat(leech.status().bytesWanted()).isEqualTo(600_000 + 900_000);
      assertThat(leech.status().progress()).isEqualTo(1.0);
    }
  }
}
