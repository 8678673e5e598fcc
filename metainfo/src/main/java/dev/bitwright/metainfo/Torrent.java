package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.internal.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A torrent's metainfo, read and validated: BitTorrent v1, v2 or hybrid.
 *
 * <p>Reading checks everything a client relies on: the piece length is a power of two from 16 KiB
 * to 256 MiB, the v1 {@code pieces} hold one SHA-1 per piece, the total length is consistent, every
 * v2 piece layer hashes to its file's pieces root, a hybrid torrent's v1 and v2 file lists describe
 * the same aligned files, and no file path can escape the download folder (see {@link FileEntry}).
 * The info-hashes are computed over the exact bytes of the {@code info} dictionary as read; keys
 * this library does not know are kept, so {@link #toBytes()} reproduces the info bytes exactly.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Torrent {
  /** The largest {@code .torrent} file {@link #read(Path)} accepts: 64 MiB. */
  public static final int MAX_TORRENT_FILE_SIZE = 64 * 1024 * 1024;

  private final BencodeDictionary root;
  private final byte[] infoBytes;
  private final InfoContent info;
  private final InfoHashes infoHashes;
  private final Map<MerkleRoot, byte[]> pieceLayers;
  private final List<List<String>> trackers;
  private final List<String> webSeeds;
  private final Optional<Instant> creationDate;
  private final Optional<String> comment;
  private final Optional<String> createdBy;
  private final Optional<String> encoding;

  Torrent(
      BencodeDictionary root,
      byte[] infoBytes,
      InfoContent info,
      Map<MerkleRoot, byte[]> pieceLayers,
      List<List<String>> trackers,
      List<String> webSeeds,
      Optional<Instant> creationDate,
      Optional<String> comment,
      Optional<String> createdBy,
      Optional<String> encoding) {
    this.root = root;
    this.infoBytes = infoBytes;
    this.info = info;
    this.pieceLayers = pieceLayers;
    this.trackers = ImmutableList.copyOf(trackers);
    this.webSeeds = ImmutableList.copyOf(webSeeds);
    this.creationDate = creationDate;
    this.comment = comment;
    this.createdBy = createdBy;
    this.encoding = encoding;
    Optional<InfoHash> v1 =
        info.version().hasV1()
            ? Optional.of(new InfoHash(Digests.sha1().digest(infoBytes)))
            : Optional.empty();
    Optional<InfoHash> v2 =
        info.version().hasV2()
            ? Optional.of(new InfoHash(MerkleTree.sha256().digest(infoBytes)))
            : Optional.empty();
    this.infoHashes = new InfoHashes(v1, v2);
  }

  /**
   * Reads a {@code .torrent} file's bytes.
   *
   * @param bytes the whole {@code .torrent} file
   * @return the torrent, its info-hashes computed over the info dictionary's bytes as read
   * @throws MetainfoException if the bytes are not a valid, safe torrent
   */
  public static Torrent parse(byte[] bytes) throws MetainfoException {
    return TorrentReader.readTorrent(bytes);
  }

  /**
   * Reads a {@code .torrent} file of at most {@link #MAX_TORRENT_FILE_SIZE} bytes.
   *
   * @param file the {@code .torrent} file to read
   * @return the torrent, its info-hashes computed over the info dictionary's bytes as read
   * @throws MetainfoException if the file is too large or not a valid, safe torrent
   * @throws IOException if the file cannot be read
   */
  public static Torrent read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      // Reading a folder fails with "Is a directory" and no name: say which.
      throw new FileSystemException(file.toString(), null, "is a folder, not a .torrent file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_TORRENT_FILE_SIZE + 1);
      if (bytes.length > MAX_TORRENT_FILE_SIZE) {
        throw new MetainfoException(
            null, "file larger than " + MAX_TORRENT_FILE_SIZE + " bytes: " + file);
      }
      return parse(bytes);
    }
  }

  /**
   * Reads a bare info dictionary, as received from peers for a magnet link (BEP 9). v2 piece layers
   * are not part of it, so {@link #pieceLayer(MerkleRoot)} is empty until they are fetched.
   *
   * @param infoBytes the bencoded info dictionary, exactly as the peers sent it; its hash is the
   *     info-hash
   * @return a torrent without trackers, web seeds, comment or piece layers
   * @throws MetainfoException if the bytes are not a valid, safe info dictionary
   */
  public static Torrent parseInfo(byte[] infoBytes) throws MetainfoException {
    return TorrentReader.readInfo(infoBytes);
  }

  /** {@return the info-hashes, computed over the exact info bytes} */
  public InfoHashes infoHashes() {
    return infoHashes;
  }

  /** {@return which metadata versions the torrent carries} */
  public TorrentVersion version() {
    return info.version();
  }

  /** {@return the name: the file name of a single-file torrent, else the folder name} */
  public String name() {
    return info.name();
  }

  /** {@return the piece length in bytes} */
  public int pieceLength() {
    return info.pieceLength();
  }

  /** {@return the number of pieces} */
  public int pieceCount() {
    return info.pieceCount();
  }

  /** {@return the sum of the lengths of all files, padding files included} */
  public long totalLength() {
    return info.totalLength();
  }

  /** {@return the files in torrent order, padding files included; immutable} */
  public List<FileEntry> files() {
    return info.files();
  }

  /** {@return whether this is a single-file torrent (no folder)} */
  public boolean isSingleFile() {
    return info.singleFile();
  }

  /**
   * {@return {@code file}'s path below the download folder: its path, under a folder named after
   * the torrent unless the torrent is a single file}
   *
   * @param file one of this torrent's {@link #files()}
   */
  public List<String> downloadPath(FileEntry file) {
    if (info.singleFile()) {
      return file.path();
    }
    return ImmutableList.<String>builder().add(info.name()).addAll(file.path()).build();
  }

  /**
   * {@return the v1 SHA-1 hash of piece {@code index}}
   *
   * @param index the piece's index, from 0
   * @throws IllegalStateException if the torrent has no v1 metadata
   * @throws IndexOutOfBoundsException if {@code index} is not a piece
   */
  public byte[] pieceHash(int index) {
    checkState(info.version().hasV1(), "a v2-only torrent has no SHA-1 piece hashes");
    checkElementIndex(index, info.pieceCount(), "piece index");
    return Arrays.copyOfRange(info.pieces(), index * 20, index * 20 + 20);
  }

  /**
   * {@return the piece layer (concatenated SHA-256 piece hashes) of the file with the given root;
   * empty for files of at most one piece and for layers not known}
   *
   * @param root the pieces root of one of the torrent's files
   */
  public Optional<byte[]> pieceLayer(MerkleRoot root) {
    return Optional.ofNullable(pieceLayers.get(root)).map(byte[]::clone);
  }

  /**
   * {@return whether every file longer than one piece has its piece layer: always for a v2 or
   * hybrid {@code .torrent} file; for an info dictionary from a magnet link, once {@link
   * #withPieceLayers} added them} True for a v1 torrent.
   */
  public boolean hasAllPieceLayers() {
    if (!info.version().hasV2()) {
      return true;
    }
    for (FileEntry file : info.files()) {
      if (!file.isPadding()
          && file.length() > info.pieceLength()
          && !pieceLayers.containsKey(file.piecesRoot().orElseThrow())) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return this torrent with v2 piece layers added, such as those fetched from peers for a magnet
   * link (BEP 52 hash requests); layers it has already are kept} {@link #toBytes()} then writes
   * them, so the result saves as a complete {@code .torrent}.
   *
   * @param layers piece layers by the pieces root of their file
   * @throws MetainfoException if a layer belongs to no file longer than one piece, has the wrong
   *     length or does not hash to its file's pieces root
   */
  public Torrent withPieceLayers(Map<MerkleRoot, byte[]> layers) throws MetainfoException {
    Map<MerkleRoot, byte[]> merged = new HashMap<>(pieceLayers);
    for (Map.Entry<MerkleRoot, byte[]> e : layers.entrySet()) {
      boolean known =
          info.files().stream()
              .anyMatch(
                  f ->
                      !f.isPadding()
                          && f.length() > info.pieceLength()
                          && f.piecesRoot().orElseThrow().equals(e.getKey()));
      if (!known) {
        throw new MetainfoException(
            "piece layers." + e.getKey(), "no file longer than one piece has this root");
      }
      merged.putIfAbsent(e.getKey(), e.getValue().clone());
    }
    PieceLayers.check(info, merged, false);
    BencodeDictionary.Builder layerDict = BencodeDictionary.builder();
    merged.forEach(
        (r, layer) -> layerDict.put(BencodeString.of(r.bytes()), BencodeString.of(layer)));
    BencodeDictionary.Builder newRoot = BencodeDictionary.builder();
    root.entries().forEach(newRoot::put);
    newRoot.put("piece layers", layerDict.build());
    return new Torrent(
        newRoot.build(),
        infoBytes,
        info,
        Map.copyOf(merged),
        trackers,
        webSeeds,
        creationDate,
        comment,
        createdBy,
        encoding);
  }

  /** {@return whether the torrent is private (BEP 27): peers only from its trackers} */
  public boolean isPrivate() {
    return info.isPrivate();
  }

  /** {@return the {@code source} tag of the info dictionary, used by private trackers} */
  public Optional<String> source() {
    return info.source();
  }

  /**
   * {@return the tracker tiers (BEP 12): the {@code announce-list}, or the {@code announce} URL as
   * one tier; immutable, possibly empty}
   */
  public List<List<String>> trackers() {
    return trackers;
  }

  /** {@return the web seed URLs (BEP 19); immutable, possibly empty} */
  public List<String> webSeeds() {
    return webSeeds;
  }

  /** {@return the creation date, if present and valid} */
  public Optional<Instant> creationDate() {
    return creationDate;
  }

  /** {@return the comment, if present} */
  public Optional<String> comment() {
    return comment;
  }

  /** {@return the {@code created by} text, if present} */
  public Optional<String> createdBy() {
    return createdBy;
  }

  /** {@return the declared text encoding, if present (informational: text is read as UTF-8)} */
  public Optional<String> encoding() {
    return encoding;
  }

  /** {@return a copy of the exact bytes of the info dictionary} */
  public byte[] infoBytes() {
    return infoBytes.clone();
  }

  /** {@return the whole decoded metainfo dictionary, unknown keys included} */
  public BencodeDictionary dictionary() {
    return root;
  }

  /**
   * {@return the bencoded torrent: the top-level keys in canonical order with the info dictionary
   * copied byte for byte, so the info-hashes never change}
   */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(infoBytes.length + 512);
    BencodeString infoKey = BencodeString.of("info");
    out.write('d');
    for (Map.Entry<BencodeString, BencodeValue> e : root.entries().entrySet()) {
      out.writeBytes(BencodeEncoder.encode(e.getKey()));
      if (e.getKey().equals(infoKey)) {
        out.writeBytes(infoBytes);
      } else {
        try {
          BencodeEncoder.encode(e.getValue(), out);
        } catch (IOException impossible) {
          throw new UncheckedIOException(impossible);
        }
      }
    }
    out.write('e');
    return out.toByteArray();
  }

  /** {@return a magnet link for this torrent: its info-hashes, name, trackers and web seeds} */
  public MagnetLink toMagnetLink() {
    return new MagnetLink(
        infoHashes,
        Optional.of(info.name()),
        trackers.stream().flatMap(List::stream).distinct().toList(),
        webSeeds,
        List.of(),
        List.of());
  }

  /** Returns the name and info-hashes. */
  @Override
  public String toString() {
    return "Torrent{"
        + info.name()
        + ", "
        + info.version()
        + infoHashes.v1().map(h -> ", v1=" + h).orElse("")
        + infoHashes.v2().map(h -> ", v2=" + h).orElse("")
        + "}";
  }
}
