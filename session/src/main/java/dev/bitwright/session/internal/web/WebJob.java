package dev.bitwright.session.internal.web;

import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.storage.FileSlice;
import dev.bitwright.storage.PieceMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of a web seed: blocks that lie one after the other in the torrent's byte stream,
 * fetched as one ranged HTTP request per file they touch (a piece spanning files becomes several),
 * into one buffer, which the HTTP client fills directly. Padding files (BEP 47) are never asked
 * for: their bytes are zeros. Loop thread only, but for the client's writes into {@link #buffer()}.
 */
public final class WebJob {
  /**
   * A range of one file, and where its bytes go in the job's buffer.
   *
   * @param file the file index
   * @param offset the first byte in the file
   * @param length how many bytes
   * @param at where they go in the job's buffer
   */
  public record FileRange(int file, long offset, int length, int at) {}

  private final List<Block> blocks;
  // Where each block starts in the buffer.
  private final int[] starts;
  private final List<FileRange> ranges;
  private final byte[] buffer;
  private int pending;
  private boolean settled;

  private WebJob(List<Block> blocks, List<FileRange> ranges, int length) {
    this.blocks = List.copyOf(blocks);
    this.starts = new int[blocks.size()];
    for (int i = 1; i < starts.length; i++) {
      starts[i] = starts[i - 1] + blocks.get(i - 1).length();
    }
    this.ranges = List.copyOf(ranges);
    this.buffer = new byte[length];
    this.pending = ranges.size();
  }

  /**
   * Plans the jobs that fetch {@code blocks} (in piece and offset order), each at most {@code
   * maxBytes} long unless one block is longer: runs of blocks that follow each other in the byte
   * stream share a job.
   */
  public static List<WebJob> plan(PieceMap map, List<Block> blocks, int maxBytes) {
    List<WebJob> jobs = new ArrayList<>();
    List<Block> run = new ArrayList<>();
    long runEnd = -1;
    int runLength = 0;
    for (Block b : blocks) {
      long start = (long) b.piece() * map.pieceLength() + b.offset();
      if (!run.isEmpty() && (start != runEnd || runLength + b.length() > maxBytes)) {
        jobs.add(of(map, run, runLength));
        run = new ArrayList<>();
        runLength = 0;
      }
      run.add(b);
      runLength += b.length();
      runEnd = start + b.length();
    }
    if (!run.isEmpty()) {
      jobs.add(of(map, run, runLength));
    }
    return jobs;
  }

  private static WebJob of(PieceMap map, List<Block> run, int length) {
    List<FileRange> ranges = new ArrayList<>();
    int at = 0;
    for (Block b : run) {
      for (FileSlice s : map.slices(b.piece(), b.offset(), b.length())) {
        if (!s.padding()) {
          FileRange last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
          if (last != null
              && last.file() == s.file()
              && last.offset() + last.length() == s.offset()
              && last.at() + last.length() == at) {
            ranges.set(
                ranges.size() - 1,
                new FileRange(last.file(), last.offset(), last.length() + s.length(), last.at()));
          } else {
            ranges.add(new FileRange(s.file(), s.offset(), s.length(), at));
          }
        }
        at += s.length();
      }
    }
    return new WebJob(run, ranges, length);
  }

  /** Returns whether the job is over: every range arrived, or it failed. */
  public boolean isSettled() {
    return settled;
  }

  /** Marks the job over: answers that come later are ignored. */
  public void settle() {
    settled = true;
  }

  /** Returns the blocks this job fetches, in order. */
  public List<Block> blocks() {
    return blocks;
  }

  /** Returns the ranged requests to make: one per file range. */
  public List<FileRange> ranges() {
    return ranges;
  }

  /** Returns how many bytes the job fetches (padding included). */
  public int length() {
    return buffer.length;
  }

  /**
   * Returns the job's buffer, where each range's bytes go from its {@link FileRange#at()}: the HTTP
   * client writes them there until its request completes.
   */
  public byte[] buffer() {
    return buffer;
  }

  /** The bytes of one range are in the buffer; returns whether every range has arrived. */
  public boolean arrived() {
    return --pending == 0;
  }

  /**
   * Returns the bytes of the job's block {@code index} (as in {@link #blocks()}), once they
   * arrived.
   */
  public ByteBuffer bytesOf(int index) {
    return ByteBuffer.wrap(buffer, starts[index], blocks.get(index).length()).slice();
  }
}
