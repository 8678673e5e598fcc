package dev.bitwright.metainfo.internal;

import dev.bitwright.metainfo.MerkleTree;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Hashes the files of a new torrent on several lanes at once: the calling thread and {@code
 * parallelism - 1} tasks on an executor take pieces from a shared counter, each with its own piece
 * buffer, digests and one open file, so memory and open files stay bounded by the lane count.
 *
 * <p>v1-only torrents hash one stream in which pieces span files. v2 and hybrid torrents hash each
 * file's pieces separately (pieces never span files); a hybrid torrent's v1 pieces are the same
 * bytes followed by the zeros of the padding file that aligns the next file.
 */
public final class PieceHasher {
  private static final int SHA1_LENGTH = 20;
  private static final byte[] ZEROS = new byte[MerkleTree.BLOCK_SIZE];
  private static final int CHUNK_SIZE = 128 * 1024;

  /**
   * What hashing produced.
   *
   * @param v1Pieces concatenated SHA-1 piece hashes, or null without v1
   * @param roots per file, its merkle root, or null for empty files or without v2
   * @param layers per file, its piece layer, or null for files of at most one piece or without v2
   */
  public record Result(byte[] v1Pieces, List<byte[]> roots, List<byte[]> layers) {}

  private final List<SourceFile> files;
  private final int pieceLength;
  private final boolean v1;
  private final boolean v2;
  private final boolean padFiles;
  private final LongConsumer progress;

  private final int blocksPerPiece;
  private final long[] streamStart;
  private final long streamLength;
  private final int[] taskFile;
  private final int[] taskPiece;
  private final int[] firstPiece;
  private final int taskCount;

  private final byte[] v1Pieces;
  private final byte[][] roots;
  private final byte[][] layers;
  private final AtomicInteger nextTask = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Object progressLock = new Object();

  /**
   * Prepares hashing.
   *
   * @param padFiles whether the v1 stream pads each file to a piece boundary (hybrid, multi-file)
   * @param progress receives the number of bytes each finished piece covered; called from the
   *     hashing threads, one call at a time
   */
  public PieceHasher(
      List<SourceFile> files,
      int pieceLength,
      boolean v1,
      boolean v2,
      boolean padFiles,
      LongConsumer progress) {
    this.files = List.copyOf(files);
    this.pieceLength = pieceLength;
    this.v1 = v1;
    this.v2 = v2;
    this.padFiles = padFiles;
    this.progress = progress;
    this.blocksPerPiece = pieceLength / MerkleTree.BLOCK_SIZE;
    int n = files.size();
    this.streamStart = new long[n];
    this.firstPiece = new int[n];
    long offset = 0;
    long pieces = 0;
    for (int f = 0; f < n; f++) {
      streamStart[f] = offset;
      firstPiece[f] = (int) pieces;
      long length = files.get(f).length();
      offset += length;
      pieces += (length + pieceLength - 1) / pieceLength;
    }
    this.streamLength = offset;
    boolean perFile = v2;
    long total = perFile ? pieces : (offset + pieceLength - 1) / pieceLength;
    if (total > Integer.MAX_VALUE / MerkleTree.HASH_LENGTH) {
      throw new IllegalArgumentException("too many pieces: " + total);
    }
    this.taskCount = (int) total;
    this.taskFile = perFile ? new int[taskCount] : null;
    this.taskPiece = perFile ? new int[taskCount] : null;
    if (perFile) {
      int t = 0;
      for (int f = 0; f < n; f++) {
        long filePieces = (files.get(f).length() + pieceLength - 1) / pieceLength;
        for (int j = 0; j < filePieces; j++, t++) {
          taskFile[t] = f;
          taskPiece[t] = j;
        }
      }
    }
    this.v1Pieces = v1 ? new byte[taskCount * SHA1_LENGTH] : null;
    this.roots = new byte[n][];
    this.layers = new byte[n][];
    if (v2) {
      for (int f = 0; f < n; f++) {
        long filePieces = (files.get(f).length() + pieceLength - 1) / pieceLength;
        if (filePieces > 1) {
          layers[f] = new byte[(int) filePieces * MerkleTree.HASH_LENGTH];
        }
      }
    }
  }

  /** Returns the number of pieces to hash. */
  public int pieceCount() {
    return taskCount;
  }

  /**
   * Hashes everything on {@code parallelism} lanes: this thread and the rest on {@code executor}.
   *
   * @throws IOException if a file cannot be read or changed size; InterruptedIOException if this
   *     thread is interrupted
   */
  public Result hash(int parallelism, Executor executor) throws IOException {
    int lanes = Math.max(1, Math.min(parallelism, taskCount));
    List<CompletableFuture<Void>> helpers = new ArrayList<>(lanes - 1);
    for (int i = 1; i < lanes; i++) {
      helpers.add(CompletableFuture.runAsync(new Lane(), executor));
    }
    new Lane().run();
    for (CompletableFuture<Void> helper : helpers) {
      try {
        helper.join();
      } catch (CompletionException e) {
        failure.compareAndSet(null, e.getCause());
      }
    }
    Throwable failed = failure.get();
    if (failed instanceof UncheckedIOException u) {
      throw u.getCause();
    }
    if (failed instanceof RuntimeException r) {
      throw r;
    }
    if (failed instanceof Error e) {
      throw e;
    }
    return new Result(v1Pieces, finishRoots(), Arrays.asList(layers));
  }

  private List<byte[]> finishRoots() {
    if (!v2) {
      return Arrays.asList(new byte[files.size()][]);
    }
    MessageDigest sha256 = MerkleTree.sha256();
    int height = Integer.numberOfTrailingZeros(blocksPerPiece);
    for (int f = 0; f < files.size(); f++) {
      if (layers[f] != null) {
        roots[f] =
            MerkleTree.root(layers[f], layers[f].length / MerkleTree.HASH_LENGTH, height, sha256);
      }
    }
    return Arrays.asList(roots);
  }

  /**
   * One hashing lane: a direct read buffer, digests and the one file it has open. Pieces are read
   * in chunks small enough to stay in the CPU cache between the copy out of the page cache and the
   * digest, and straight into direct memory, which saves the JDK's extra copy for heap buffers.
   */
  private final class Lane implements Runnable {
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(Math.min(pieceLength, CHUNK_SIZE));
    private final byte[] leaves = new byte[blocksPerPiece * MerkleTree.HASH_LENGTH];
    private final MessageDigest sha1 = Digests.sha1();
    private final MessageDigest sha256 = MerkleTree.sha256();
    private FileChannel channel;
    private int channelFile = -1;
    private int leafCount;

    @Override
    public void run() {
      try {
        while (failure.get() == null) {
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while hashing");
          }
          int task = nextTask.getAndIncrement();
          if (task >= taskCount) {
            return;
          }
          long bytes = taskFile == null ? hashStreamPiece(task) : hashFilePiece(task);
          synchronized (progressLock) {
            progress.accept(bytes);
          }
        }
      } catch (IOException e) {
        failure.compareAndSet(null, new UncheckedIOException(e));
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
      } finally {
        closeChannel();
      }
    }

    /** A v1-only piece: bytes of the concatenated files, spanning file boundaries. */
    private long hashStreamPiece(int piece) throws IOException {
      long start = (long) piece * pieceLength;
      int length = (int) Math.min(pieceLength, streamLength - start);
      int f = fileAt(start);
      int done = 0;
      while (done < length) {
        long inFile = start + done - streamStart[f];
        int n = (int) Math.min(length - done, files.get(f).length() - inFile);
        if (n > 0) {
          readAndDigest(f, inFile, n, false);
          done += n;
        }
        f++;
      }
      digest(sha1, v1Pieces, piece * SHA1_LENGTH);
      return length;
    }

    /** Returns the file holding stream offset {@code offset}, skipping empty files. */
    private int fileAt(long offset) {
      int i = Arrays.binarySearch(streamStart, offset);
      if (i < 0) {
        return -i - 2;
      }
      while (i + 1 < streamStart.length && streamStart[i + 1] == offset) {
        i++;
      }
      while (files.get(i).length() == 0) {
        i++;
      }
      return i;
    }

    /** A piece of one file (v2 or hybrid): merkle leaves, and the v1 hash for hybrids. */
    private long hashFilePiece(int task) throws IOException {
      int f = taskFile[task];
      int j = taskPiece[task];
      long offset = (long) j * pieceLength;
      int length = (int) Math.min(pieceLength, files.get(f).length() - offset);
      leafCount = 0;
      readAndDigest(f, offset, length, true);
      if (v1) {
        if (padFiles) {
          for (int pad = pieceLength - length; pad > 0; pad -= ZEROS.length) {
            sha1.update(ZEROS, 0, Math.min(pad, ZEROS.length));
          }
        }
        digest(sha1, v1Pieces, (firstPiece[f] + j) * SHA1_LENGTH);
      }
      if (layers[f] == null) {
        roots[f] = MerkleTree.root(leaves, leafCount, 0, sha256);
      } else {
        int levels = Integer.numberOfTrailingZeros(blocksPerPiece);
        byte[] pieceRoot = MerkleTree.reduce(leaves, leafCount, 0, levels, sha256);
        System.arraycopy(
            pieceRoot, 0, layers[f], j * MerkleTree.HASH_LENGTH, MerkleTree.HASH_LENGTH);
      }
      return length;
    }

    /**
     * Reads {@code length} bytes of {@code file} from {@code position} chunk by chunk, feeding the
     * SHA-1 (v1) and, when {@code leafHashes}, one SHA-256 leaf per 16 KiB block. Chunks start on
     * block boundaries because pieces do.
     */
    private void readAndDigest(int file, long position, int length, boolean leafHashes)
        throws IOException {
      int done = 0;
      while (done < length) {
        int n = Math.min(chunk.capacity(), length - done);
        chunk.clear().limit(n);
        read(file, position + done);
        if (v1) {
          sha1.update(chunk.flip());
        }
        if (leafHashes) {
          for (int from = 0; from < n; from += MerkleTree.BLOCK_SIZE) {
            sha256.update(chunk.limit(Math.min(n, from + MerkleTree.BLOCK_SIZE)).position(from));
            digest(sha256, leaves, leafCount++ * MerkleTree.HASH_LENGTH);
          }
        }
        done += n;
      }
    }

    /** Fills the chunk buffer from its position to its limit with bytes from {@code position}. */
    private void read(int file, long position) throws IOException {
      if (channelFile != file) {
        closeChannel();
        channel = FileChannel.open(files.get(file).file(), StandardOpenOption.READ);
        channelFile = file;
      }
      long at = position;
      while (chunk.hasRemaining()) {
        int n = channel.read(chunk, at);
        if (n < 0) {
          throw new EOFException("file shrank while hashing: " + files.get(file).file());
        }
        at += n;
      }
    }

    private void closeChannel() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Read-only: nothing is lost if closing fails.
        }
        channel = null;
        channelFile = -1;
      }
    }

    private void digest(MessageDigest digest, byte[] out, int offset) {
      try {
        digest.digest(out, offset, digest.getDigestLength());
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
