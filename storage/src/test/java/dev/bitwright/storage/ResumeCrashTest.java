package dev.bitwright.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of resume data: a separate JVM ({@link CrashWriter}) downloads a torrent's pieces
 * and is killed with SIGKILL at random moments, round after round, each round resuming from what
 * the previous one left. After every kill, every piece the resume data calls complete must verify,
 * the resume file must read (never torn, whatever temporary files the kills left), and the record
 * never goes backwards; at the end an unkilled run finishes the download from there and every file
 * equals the original.
 *
 * <p>Kills come at three kinds of moment, chosen by a seeded {@link Random}: a random time after
 * the process starts (during start-up, the recheck or the first writes), a random number of pieces
 * after it resumed (mid-write or mid-verify), and just after it starts the n-th save of the resume
 * data (mid-save). Each round downloads at most a bounded number of pieces, so the rounds end well
 * before the download is complete. The seed is printed; set {@code -Dbitwright.crash.seed=...} to
 * replay the same choices (timing still differs a little from run to run).
 */
class ResumeCrashTest {
  private static final String SEED_PROPERTY = "bitwright.crash.seed";
  private static final String EOF = "\u0000EOF";

  /** How long a round may wait for the writer's next report before the test fails. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

  @TempDir Path dir;

  private final List<Process> started = new ArrayList<>();
  private long seed;

  @BeforeEach
  void onLinuxOnly() {
    assumeTrue(OS.LINUX.isCurrentOs(), "SIGKILL crash test runs on Linux only");
    String property = System.getProperty(SEED_PROPERTY);
    seed = property != null ? Long.parseLong(property) : new Random().nextLong();
  }

  @AfterEach
  void killEverythingStarted() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("writer %s ended", p.pid()).isTrue();
    }
  }

  @Test
  void v1DownloadKilledAtRandomMomentsResumesAndFinishes() throws Exception {
    int[] sizes = {5_000_001, 0, 9_999_991, 1, 777, 12_345_678, 3_210_987, 65_536};
    crashRounds(TorrentVersion.V1, 32 * 1024, sizes, 24);
  }

  @Test
  void hybridDownloadKilledAtRandomMomentsResumesAndFinishes() throws Exception {
    int[] sizes = {3_000_017, 0, 4_194_304, 12_345, 1, 5_555_555};
    crashRounds(TorrentVersion.HYBRID, 16 * 1024, sizes, 8);
  }

  private enum KillAt {
    /** A random time after the process starts. */
    TIME,
    /** A random number of pieces after resuming. */
    PIECES,
    /** Just after the n-th save of the resume data starts. */
    SAVE
  }

  private void crashRounds(TorrentVersion version, int pieceLength, int[] sizes, int rounds)
      throws Exception {
    System.out.printf(
        "ResumeCrashTest %s: seed %d (-D%s=%d)%n", version, seed, SEED_PROPERTY, seed);
    Random random = new Random(seed);
    Path sourceFolder = dir.resolve("source");
    Path payload = sourceFolder.resolve("payload");
    writePayload(payload, sizes, random);
    Torrent torrent =
        TorrentBuilder.create(payload).version(version).pieceLength(pieceLength).build();
    Path torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
    Path downloadFolder = dir.resolve("download");
    Path stateFolder = dir.resolve("state");
    Files.createDirectories(stateFolder);
    Path resumeFile = stateFolder.resolve("resume.dat");
    int pieceCount = torrent.pieceCount();
    // At most this many new pieces per round, so the rounds end with the download half done.
    int maxStep = Math.max(2, pieceCount / (2 * rounds));
    Writer writer =
        new Writer(torrentFile, sourceFolder, downloadFolder, resumeFile, dir.resolve("stderr"));
    System.out.printf(
        "%s: %d files, %d bytes, %d pieces of %d, at most %d new pieces a round%n",
        version, torrent.files().size(), torrent.totalLength(), pieceCount, pieceLength, maxStep);

    int recordedBefore = 0;
    int killsMidDownload = 0;
    int maxRecordedAtKill = 0;
    int killsBeforeResumed = 0;
    int strayTempFiles = 0;
    long began = System.nanoTime();
    for (int round = 1; round <= rounds; round++) {
      KillAt killAt = KillAt.values()[random.nextInt(KillAt.values().length)];
      long delayNanos = TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(551));
      int step = 1 + random.nextInt(maxStep);
      int saveIndex = 1 + random.nextInt(3);
      long jitterNanos = random.nextInt(300_000);
      String context = String.format("seed %d, %s round %d", seed, version, round);

      Progress progress = new Progress();
      int exit;
      try (Child child = writer.start(random.nextLong())) {
        long start = System.nanoTime();
        while (true) {
          long wait = killAt == KillAt.TIME ? start + delayNanos - System.nanoTime() : STALL_NANOS;
          String line = child.next(Math.max(0, wait));
          if (line == null) {
            assertThat(killAt)
                .as("%s: writer silent for 30 s%s", context, writer.log())
                .isEqualTo(KillAt.TIME);
            break;
          }
          if (line.equals(EOF)) {
            break;
          }
          progress.accept(line);
          int downloaded = progress.ready < 0 ? 0 : progress.verified - progress.ready;
          if (downloaded >= maxStep
              || (killAt == KillAt.PIECES && downloaded >= step)
              || (killAt == KillAt.SAVE && progress.saves >= saveIndex)) {
            spin(jitterNanos);
            break;
          }
        }
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(10, TimeUnit.SECONDS))
            .as("%s: writer ends after SIGKILL", context)
            .isTrue();
        exit = child.process.exitValue();
        child.drainInto(progress);
      }
      if (progress.done) {
        assertThat(exit).as("%s: exit status after DONE%s", context, writer.log()).isIn(0, 137);
      } else {
        assertThat(exit).as("%s: writer failed on its own%s", context, writer.log()).isEqualTo(137);
      }

      // The record left by the kill.
      Optional<ResumeData> resume = readResumeData(resumeFile, context);
      int recorded = 0;
      if (resume.isPresent()) {
        BitSet complete = resume.get().pieces();
        assertThat(resume.get().infoHash()).isEqualTo(torrent.infoHashes().best());
        assertThat(resume.get().pieceCount()).isEqualTo(pieceCount);
        BitSet bad = (BitSet) complete.clone();
        bad.andNot(verify(torrent, downloadFolder, complete));
        assertThat(bad.stream().boxed().toList())
            .as(
                "%s: CRASH-SAFETY VIOLATION: pieces the resume data calls complete that do not"
                    + " verify",
                context)
            .isEmpty();
        recorded = complete.cardinality();
      }
      assertThat(recorded)
          .as("%s: pieces recorded complete went backwards", context)
          .isGreaterThanOrEqualTo(recordedBefore);
      List<String> leftovers = strayFiles(stateFolder, resumeFile);
      assertThat(leftovers)
          .as("%s: only the resume file and temporary files of interrupted saves", context)
          .allMatch(name -> name.startsWith(".resume.dat") && name.endsWith(".tmp"));

      if (!progress.done) {
        maxRecordedAtKill = Math.max(maxRecordedAtKill, recorded);
        if (recorded < pieceCount) {
          killsMidDownload++;
        }
        if (progress.ready < 0) {
          killsBeforeResumed++;
        }
      }
      strayTempFiles = leftovers.size();
      System.out.printf(
          "%s round %2d: kill at %-6s exit %3d | writer: resumed with %4s (trusted %4s, rechecked"
              + " %4s), reached %4d, saves begun %2d | recorded complete at kill %4d/%d,"
              + " stray temp files %d%n",
          version,
          round,
          killAt,
          exit,
          progress.ready < 0 ? "-" : Integer.toString(progress.ready),
          progress.trusted < 0 ? "-" : Integer.toString(progress.trusted),
          progress.rechecked < 0 ? "-" : Integer.toString(progress.rechecked),
          Math.max(progress.verified, 0),
          progress.saves,
          recorded,
          pieceCount,
          leftovers.size());
      recordedBefore = recorded;
    }

    System.out.printf(
        "%s: %d kills with the download incomplete (%d before the writer had resumed), at most %d"
            + " pieces recorded at a kill, %d temporary files left by interrupted saves%n",
        version, killsMidDownload, killsBeforeResumed, maxRecordedAtKill, strayTempFiles);
    assertThat(maxRecordedAtKill)
        .as("seed %d: some kill came after pieces were recorded", seed)
        .isPositive();
    assertThat(killsMidDownload)
        .as("seed %d: kills with the download incomplete", seed)
        .isGreaterThanOrEqualTo(rounds);

    // The download finishes from where the kills left it.
    Progress last = new Progress();
    int exit;
    try (Child child = writer.start(random.nextLong())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        String line = child.next(Math.max(0, deadline - System.nanoTime()));
        if (line == null) {
          throw new AssertionError(
              String.format("seed %d: final run did not finish in 60 s%s", seed, writer.log()));
        }
        if (line.equals(EOF)) {
          break;
        }
        last.accept(line);
      }
      assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      exit = child.process.exitValue();
    }
    assertThat(last.done).as("seed %d: final run printed DONE%s", seed, writer.log()).isTrue();
    assertThat(exit).as("seed %d: final run exit status%s", seed, writer.log()).isZero();
    assertThat(last.ready)
        .as("seed %d: the final run resumed from the recorded pieces", seed)
        .isGreaterThanOrEqualTo(recordedBefore);
    System.out.printf(
        "%s final run: resumed with %d (trusted %d, rechecked %d), finished %d/%d; %d rounds in"
            + " %d ms%n",
        version,
        last.ready,
        last.trusted,
        last.rechecked,
        last.verified,
        pieceCount,
        rounds,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));

    BitSet all = new BitSet();
    all.set(0, pieceCount);
    assertThat(verify(torrent, downloadFolder, all).cardinality()).isEqualTo(pieceCount);
    assertThat(readResumeData(resumeFile, "final").orElseThrow().pieces()).isEqualTo(all);
    for (FileEntry f : torrent.files()) {
      if (f.isPadding()) {
        continue;
      }
      String relative = String.join("/", torrent.downloadPath(f));
      Path copy = downloadFolder.resolve(relative);
      assertThat(sha256(copy)).as(relative).isEqualTo(sha256(sourceFolder.resolve(relative)));
    }
  }

  /** Several files of odd sizes, an empty one, in a folder and a sub-folder. */
  private static void writePayload(Path payload, int[] sizes, Random random) throws IOException {
    for (int i = 0; i < sizes.length; i++) {
      Path file = payload.resolve(i % 3 == 0 ? "f" + i + ".bin" : "sub/dir" + i % 2 + "/f" + i);
      Files.createDirectories(file.getParent());
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(file, bytes);
    }
  }

  private static Optional<ResumeData> readResumeData(Path file, String context) {
    try {
      return ResumeData.read(file);
    } catch (IOException e) {
      throw new AssertionError(context + ": CRASH-SAFETY VIOLATION: resume file unreadable", e);
    }
  }

  /** Returns which of {@code pieces} verify now, on a fresh store of the download folder. */
  private static BitSet verify(Torrent torrent, Path folder, BitSet pieces) throws Exception {
    ExecutorService lanes = Executors.newFixedThreadPool(2);
    try (PieceStore store = new PieceStore(torrent, FileSystemStorage.open(folder, torrent))) {
      return FileCheck.start(store, pieces, lanes, 2, (a, b, c) -> {}).result().get();
    } finally {
      lanes.shutdownNow();
    }
  }

  private static List<String> strayFiles(Path folder, Path resumeFile) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> !p.equals(resumeFile)).map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  /** What the writer reported in one round. */
  private static final class Progress {
    int ready = -1;
    int trusted = -1;
    int rechecked = -1;
    int verified = -1;
    int saves;
    boolean done;

    void accept(String line) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "READY" -> {
          ready = Integer.parseInt(f[1]);
          trusted = Integer.parseInt(f[2]);
          rechecked = Integer.parseInt(f[3]);
          verified = ready;
        }
        case "P" -> verified = Integer.parseInt(f[2]);
        case "S" -> saves++;
        case "s" -> {}
        case "DONE" -> {
          verified = Integer.parseInt(f[1]);
          done = true;
        }
        default -> throw new AssertionError("unexpected line from the writer: " + line);
      }
    }
  }

  /** Starts {@link CrashWriter} processes, all with the same files. */
  private final class Writer {
    private final List<String> command = new ArrayList<>();
    private final Path stderr;

    Writer(Path torrent, Path source, Path download, Path resume, Path stderr) {
      this.stderr = stderr;
      command.addAll(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:+UseSerialGC",
              "-XX:-UsePerfData",
              "-Xmx64m",
              "-cp",
              System.getProperty("java.class.path"),
              CrashWriter.class.getName(),
              torrent.toString(),
              source.toString(),
              download.toString(),
              resume.toString()));
    }

    Child start(long seed) throws IOException {
      List<String> args = new ArrayList<>(command);
      args.add(Long.toString(seed));
      Process process =
          new ProcessBuilder(args)
              .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
              .start();
      started.add(process);
      return new Child(process);
    }

    /** The writers' standard error so far, for failure messages. */
    String log() {
      try {
        return Files.exists(stderr) ? "\nwriter stderr:\n" + Files.readString(stderr, UTF_8) : "";
      } catch (IOException e) {
        return "\n(writer stderr unreadable: " + e + ")";
      }
    }
  }

  /** A running writer and the lines it printed, read on a thread of their own. */
  private static final class Child implements AutoCloseable {
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    Child(Process process) throws IOException {
      this.process = process;
      process.getOutputStream().close(); // The writer reads nothing.
      this.reader = new Thread(this::pump, "crash-writer-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void pump() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The process is gone.
      } finally {
        lines.add(EOF);
      }
    }

    /** Returns the next line, {@link #EOF} when the output ends, or null after {@code nanos}. */
    String next(long nanos) throws InterruptedException {
      return lines.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** After the process ended: feeds the lines not read yet to {@code progress}. */
    void drainInto(Progress progress) throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(10));
      for (String line; (line = lines.poll()) != null && !line.equals(EOF); ) {
        progress.accept(line);
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          fail("writer %s did not end after SIGKILL", process.pid());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for writer %s to end", process.pid());
      }
    }
  }
}
