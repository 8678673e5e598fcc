package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.storage.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * What is known to be on disk for one torrent: the verified pieces and, for each file (and the part
 * file, last), its size and modification time when the pieces were recorded.
 *
 * <p>On start, {@link #plan(PieceStore)} compares the files with the record: pieces of unchanged
 * files are trusted without a recheck, and only the pieces of files whose size or modification time
 * changed are checked again. Resume data is written atomically ({@link #write(Path)}): a crash at
 * any moment leaves the old or the new file, never a torn one.
 *
 * @param infoHash the torrent's (best) info-hash
 * @param pieceCount the torrent's number of pieces
 * @param pieces the verified pieces (copied)
 * @param files per file index, then the part file: its state, or empty if it did not exist
 */
public record ResumeData(
    InfoHash infoHash, int pieceCount, BitSet pieces, List<Optional<FileState>> files) {
  /** Format version written into the file. */
  public static final int FORMAT = 1;

  /** The largest resume file {@link #read(Path)} accepts: 64 MiB. */
  public static final int MAX_SIZE = 64 * 1024 * 1024;

  /**
   * Creates resume data.
   *
   * @param infoHash the torrent's (best) info-hash
   * @param pieceCount the torrent's number of pieces
   * @param pieces the verified pieces (copied)
   * @param files per file index, then the part file: its state, or empty if it did not exist
   * @throws IllegalArgumentException if a piece index is out of range
   */
  public ResumeData {
    checkNotNull(infoHash);
    checkArgument(pieceCount >= 0, "negative piece count");
    pieces = (BitSet) pieces.clone();
    checkArgument(pieces.length() <= pieceCount, "piece index out of range");
    files = ImmutableList.copyOf(files);
  }

  /** {@return a copy of the verified pieces} */
  @Override
  public BitSet pieces() {
    return (BitSet) pieces.clone();
  }

  /**
   * What to do on start.
   *
   * @param trusted pieces recorded as verified whose files have not changed: valid without a check
   * @param recheck pieces of files that changed (or all, if the record is for something else):
   *     check them with {@link FileCheck}
   */
  public record Plan(BitSet trusted, BitSet recheck) {}

  /**
   * Compares the record with the files of {@code store} now. A record for another torrent, or for a
   * different number of files or pieces, trusts nothing and rechecks everything.
   *
   * @param store the torrent's store, whose files are compared with the record
   * @return the pieces to trust without a check and those to recheck
   * @throws StorageException if the storage cannot tell the files' state
   */
  public Plan plan(PieceStore store) throws IOException {
    PieceMap map = store.map();
    int fileCount = map.fileCount();
    boolean sameTorrent =
        infoHash.equals(store.torrent().infoHashes().best())
            && pieceCount == map.pieceCount()
            && files.size() == fileCount + 1;
    if (!sameTorrent) {
      return new Plan(new BitSet(), map.allPieces());
    }
    BitSet recheck = new BitSet();
    List<Optional<FileState>> now = store.storage().states(fileCount + 1);
    for (int f = 0; f <= fileCount; f++) {
      boolean padding = f < fileCount && map.isPadding(f);
      if (padding || now.get(f).equals(files.get(f))) {
        continue;
      }
      if (f == fileCount) {
        return new Plan(new BitSet(), map.allPieces());
      }
      if (map.fileLength(f) > 0) {
        recheck.set(map.firstPiece(f), map.lastPiece(f) + 1);
      }
    }
    BitSet trusted = (BitSet) pieces.clone();
    trusted.andNot(recheck);
    return new Plan(trusted, recheck);
  }

  /**
   * {@return the bencoded form: canonical bencode, written field by field (a value tree of one
   * dictionary per file cost a torrent of 100,000 files hundreds of megabytes per save)}
   */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + files.size() * 40);
    ascii(out, "d16:bitwright resumei" + FORMAT + "e5:filesl");
    StringBuilder entry = new StringBuilder(48);
    for (Optional<FileState> state : files) {
      entry.setLength(0);
      if (state.isPresent()) {
        // keys in canonical (sorted) order: modified, size
        entry.append("d8:modifiedi").append(state.get().modified());
        entry.append("e4:sizei").append(state.get().size()).append("ee");
      } else {
        entry.append("de");
      }
      ascii(out, entry);
    }
    byte[] hash = infoHash.bytes();
    ascii(out, "e9:info-hash" + hash.length + ":");
    out.writeBytes(hash);
    byte[] bitfield = new byte[(pieceCount + 7) / 8];
    pieces.stream().forEach(i -> bitfield[i >>> 3] |= (byte) (0x80 >>> (i & 7)));
    ascii(out, "11:piece counti" + pieceCount + "e6:pieces" + bitfield.length + ":");
    out.writeBytes(bitfield);
    out.write('e');
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      out.write(text.charAt(i));
    }
  }

  /**
   * Reads the bencoded form.
   *
   * @param bytes the bencoded resume data, as {@link #encode()} writes it
   * @param source where the bytes came from, for the error message (such as a file name)
   * @return the resume data
   * @throws StorageException naming {@code source} if the bytes are not valid resume data
   */
  public static ResumeData decode(byte[] bytes, String source) throws StorageException {
    try {
      BencodeValue root = BencodeDecoder.strict().decode(bytes);
      BencodeDictionary dict = dictionary(root);
      if (integer(dict, "bitwright resume") != FORMAT) {
        throw new IllegalArgumentException("unknown format version");
      }
      long count = integer(dict, "piece count");
      byte[] bitfield = string(dict, "pieces").bytes();
      if (count < 0 || count > Integer.MAX_VALUE || bitfield.length != (count + 7) / 8) {
        throw new IllegalArgumentException("pieces do not match the piece count");
      }
      BitSet pieces = new BitSet((int) count);
      for (int i = 0; i < count; i++) {
        if ((bitfield[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
          pieces.set(i);
        }
      }
      if (count % 8 != 0 && (bitfield[bitfield.length - 1] & (0xff >>> (count % 8))) != 0) {
        throw new IllegalArgumentException("spare bits set");
      }
      List<Optional<FileState>> files = new ArrayList<>();
      for (BencodeValue v : list(dict, "files").values()) {
        BencodeDictionary f = dictionary(v);
        files.add(
            f.size() == 0
                ? Optional.empty()
                : Optional.of(new FileState(integer(f, "size"), integer(f, "modified"))));
      }
      return new ResumeData(
          new InfoHash(string(dict, "info-hash").bytes()), (int) count, pieces, files);
    } catch (BencodeException | IllegalArgumentException | ClassCastException e) {
      throw new StorageException("read", source, "invalid resume data: " + e.getMessage(), e);
    }
  }

  private static BencodeDictionary dictionary(BencodeValue v) {
    return (BencodeDictionary) v;
  }

  private static long integer(BencodeDictionary d, String key) {
    return ((BencodeInteger) require(d, key)).value();
  }

  private static BencodeString string(BencodeDictionary d, String key) {
    return (BencodeString) require(d, key);
  }

  private static BencodeList list(BencodeDictionary d, String key) {
    return (BencodeList) require(d, key);
  }

  private static BencodeValue require(BencodeDictionary d, String key) {
    return d.get(key).orElseThrow(() -> new IllegalArgumentException("missing " + key));
  }

  /**
   * Writes the resume data to {@code file} atomically: to a temporary file in the same folder,
   * forced to disk, renamed over {@code file}, and the folder forced too.
   *
   * @param file where to write; replaced atomically if it exists
   * @throws StorageException if writing fails
   */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, encode());
  }

  /**
   * Reads resume data from {@code file}, if it exists.
   *
   * @param file the resume data file
   * @return the resume data, or empty if {@code file} does not exist
   * @throws StorageException if it cannot be read or is not valid resume data
   */
  public static Optional<ResumeData> read(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_SIZE + 1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("read", file.toString(), String.valueOf(e.getMessage()), e);
    }
    if (bytes.length > MAX_SIZE) {
      throw new StorageException("read", file.toString(), "resume data too large", null);
    }
    return Optional.of(decode(bytes, file.toString()));
  }
}
