package dev.bitwright.storage;

import dev.bitwright.metainfo.Torrent;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The process {@link ResumeCrashTest} kills: a downloader without a network. It resumes from the
 * resume file as a client would on start (trusting what {@link ResumeData#plan} trusts and
 * rechecking the rest with {@link FileCheck}), then "downloads" the missing pieces in random order
 * by copying them from the original payload in 16 KiB blocks, verifies each, and saves the resume
 * data every few pieces.
 *
 * <p>Arguments: the {@code .torrent} file; the folder holding the original payload (the download
 * folder it was created in, so the torrent's name is a child of it); the download folder; the
 * resume file; a random seed; optionally how many pieces between saves (default 4) and a pause
 * before each piece in microseconds (default 0).
 *
 * <p>It reports on standard output, one line per event, so the test can choose when to kill it:
 *
 * <ul>
 *   <li>{@code READY <verified> <trusted> <rechecked> <pieces>} once the resume data is applied;
 *   <li>{@code P <piece> <verified>} after each piece is written and verified;
 *   <li>{@code S <verified>} before each save of the resume data and {@code s <verified>} after;
 *   <li>{@code DONE <verified>} at the end, after the last save; it then exits with status 0.
 * </ul>
 */
final class CrashWriter {
  /** Pieces are downloaded in runs of this many neighbours, so untouched files stay trusted. */
  private static final int RUN = 32;

  private static final int BLOCK = 16 * 1024;

  /** Standard output without buffers. */
  private static final FileOutputStream STDOUT = new FileOutputStream(FileDescriptor.out);

  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    // Never outlive the test: if the JVM that started this one dies, stop at once.
    ProcessHandle.current()
        .parent()
        .ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    if (args.length < 5) {
      throw new IllegalArgumentException(
          "usage: CrashWriter torrent source-folder download-folder resume-file seed"
              + " [save-every [pause-micros]]");
    }
    Path torrentFile = Path.of(args[0]);
    Path sourceFolder = Path.of(args[1]);
    Path downloadFolder = Path.of(args[2]);
    Path resumeFile = Path.of(args[3]);
    Random random = new Random(Long.parseLong(args[4]));
    int saveEvery = args.length > 5 ? Integer.parseInt(args[5]) : 4;
    long pauseNanos = args.length > 6 ? TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[6])) : 0;

    Torrent torrent = Torrent.read(torrentFile);
    try (PieceStore source =
            new PieceStore(torrent, FileSystemStorage.open(sourceFolder, torrent));
        PieceStore store =
            new PieceStore(torrent, FileSystemStorage.open(downloadFolder, torrent))) {
      PieceMap map = store.map();
      BitSet verified = new BitSet(map.pieceCount());
      BitSet recheck;
      Optional<ResumeData> resume = ResumeData.read(resumeFile);
      if (resume.isPresent()) {
        ResumeData.Plan plan = resume.get().plan(store);
        verified.or(plan.trusted());
        recheck = plan.recheck();
      } else {
        // No record: whatever is on disk must be checked, as a client does on first start.
        recheck = map.allPieces();
      }
      int trusted = verified.cardinality();
      if (!recheck.isEmpty()) {
        ExecutorService lanes = Executors.newFixedThreadPool(2);
        try {
          verified.or(FileCheck.start(store, recheck, lanes, 2, (a, b, c) -> {}).result().get());
        } finally {
          lanes.shutdownNow();
        }
      }
      report(
          "READY %d %d %d %d",
          verified.cardinality(), trusted, recheck.cardinality(), map.pieceCount());

      ByteBuffer piece = ByteBuffer.allocate(map.pieceLength());
      int sinceSave = 0;
      for (int p : order(map.pieceCount(), verified, random)) {
        if (pauseNanos > 0) {
          LockSupport.parkNanos(pauseNanos);
        }
        piece.clear().limit(map.pieceSize(p));
        source.readBlock(p, 0, piece);
        piece.flip();
        for (int offset = 0; offset < piece.limit(); offset += BLOCK) {
          store.writeBlock(p, offset, piece.slice(offset, Math.min(BLOCK, piece.limit() - offset)));
        }
        if (!store.verifyPiece(p)) {
          throw new IllegalStateException("piece " + p + " does not verify right after writing");
        }
        verified.set(p);
        report("P %d %d", p, verified.cardinality());
        if (++sinceSave == saveEvery) {
          sinceSave = 0;
          report("S %d", verified.cardinality());
          store.saveResumeData(resumeFile, verified);
          report("s %d", verified.cardinality());
        }
      }
      store.createEmptyFiles();
      store.saveResumeData(resumeFile, verified);
      report("DONE %d", verified.cardinality());
    }
    System.exit(0);
  }

  /**
   * Prints one line with a single write to the pipe: shorter than {@code PIPE_BUF}, so atomic; a
   * kill never leaves half a line.
   */
  private static void report(String format, Object... args) throws IOException {
    STDOUT.write(String.format(Locale.ROOT, format + "\n", args).getBytes(StandardCharsets.UTF_8));
  }

  /** The missing pieces: runs of neighbours in random order, each run shuffled. */
  private static List<Integer> order(int pieceCount, BitSet verified, Random random) {
    List<List<Integer>> runs = new ArrayList<>();
    for (int start = 0; start < pieceCount; start += RUN) {
      List<Integer> run = new ArrayList<>();
      for (int p = start; p < Math.min(pieceCount, start + RUN); p++) {
        if (!verified.get(p)) {
          run.add(p);
        }
      }
      Collections.shuffle(run, random);
      runs.add(run);
    }
    Collections.shuffle(runs, random);
    List<Integer> order = new ArrayList<>();
    runs.forEach(order::addAll);
    return order;
  }
}
