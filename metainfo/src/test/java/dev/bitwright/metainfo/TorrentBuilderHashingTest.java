package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The builder's hashes, checked against SHA-1 and merkle trees computed here, over a folder of
 * about 40 random files (some empty, some exactly one piece long) hashed on one and four lanes.
 */
class TorrentBuilderHashingTest {
  private static final int BLOCK = 16 * 1024;
  private static final Comparator<List<String>> TORRENT_ORDER = TorrentBuilderHashingTest::compare;

  @TempDir static Path root;
  static Path folder;

  /** Relative path (components) to content, in torrent order. */
  static final Map<List<String>, byte[]> FILES = new LinkedHashMap<>();

  static ExecutorService executor;

  @BeforeAll
  static void writeRandomFolder() throws Exception {
    executor = Executors.newFixedThreadPool(3);
    folder = Files.createDirectories(root.resolve("payload"));
    Random random = new Random(20_240_101);
    String[] dirs = {"", "d0", "d1", "d1/sub", "Upper", "é", "z z"};
    int[] fixedSizes = {0, 0, 0, 0, 1, BLOCK, 2 * BLOCK, 4 * BLOCK, 4 * BLOCK + 1, 300 * 1024};
    List<List<String>> paths = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String dir = dirs[random.nextInt(dirs.length)];
      String name = (random.nextBoolean() ? "F" : "f") + i + (random.nextBoolean() ? ".bin" : "");
      Path file = dir.isEmpty() ? folder.resolve(name) : folder.resolve(dir).resolve(name);
      Files.createDirectories(file.getParent());
      int size = i < fixedSizes.length ? fixedSizes[i] : random.nextInt(300 * 1024 + 1);
      byte[] content = new byte[size];
      random.nextBytes(content);
      Files.write(file, content);
      List<String> path = new ArrayList<>();
      for (Path part : folder.relativize(file)) {
        path.add(part.toString());
      }
      paths.add(path);
    }
    paths.sort(TORRENT_ORDER);
    for (List<String> path : paths) {
      FILES.put(path, Files.readAllBytes(folder.resolve(String.join("/", path))));
    }
  }

  @AfterAll
  static void stopExecutor() {
    executor.shutdownNow();
  }

  /** Path components compared one by one as unsigned UTF-8 bytes. */
  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c =
          Arrays.compareUnsigned(
              a.get(i).getBytes(StandardCharsets.UTF_8), b.get(i).getBytes(StandardCharsets.UTF_8));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static Torrent build(TorrentVersion version, int pieceLength, int lanes)
      throws Exception {
    return TorrentBuilder.create(folder)
        .version(version)
        .pieceLength(pieceLength)
        .parallelism(lanes)
        .executor(executor)
        .build();
  }

  @ParameterizedTest
  @EnumSource(TorrentVersion.class)
  void oneAndFourLanesGiveTheSameTorrent(TorrentVersion version) throws Exception {
    Torrent one = build(version, BLOCK, 1);
    Torrent four = build(version, BLOCK, 4);
    assertThat(four.infoBytes()).isEqualTo(one.infoBytes());
    assertThat(four.toBytes()).isEqualTo(one.toBytes());
    assertThat(four.version()).isEqualTo(version);
  }

  @ParameterizedTest
  @EnumSource(TorrentVersion.class)
  void listsEveryFileInTorrentOrder(TorrentVersion version) throws Exception {
    Torrent t = Torrent.parse(build(version, 2 * BLOCK, 4).toBytes());
    assertThat(t.name()).isEqualTo("payload");
    assertThat(t.isSingleFile()).isFalse();
    List<FileEntry> real = t.files().stream().filter(f -> !f.isPadding()).toList();
    assertThat(real).extracting(FileEntry::path).containsExactlyElementsOf(FILES.keySet());
    for (FileEntry f : real) {
      assertThat(f.length()).as(f.pathString()).isEqualTo(FILES.get(f.path()).length);
    }
    long data = FILES.values().stream().mapToLong(b -> b.length).sum();
    if (version == TorrentVersion.V1) {
      assertThat(t.totalLength()).isEqualTo(data);
    }
    if (version == TorrentVersion.HYBRID) {
      assertThat(t.files().stream().filter(FileEntry::isPadding))
          .allSatisfy(p -> assertThat(p.path()).containsExactly(".pad", Long.toString(p.length())));
      assertThat(t.totalLength() % (2 * BLOCK)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {BLOCK, 4 * BLOCK})
  void v1PiecesHashTheFilesAsOneStream(int pieceLength) throws Exception {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    FILES.values().forEach(stream::writeBytes);
    checkSha1Pieces(build(TorrentVersion.V1, pieceLength, 4), stream.toByteArray(), pieceLength);
  }

  @ParameterizedTest
  @ValueSource(ints = {BLOCK, 4 * BLOCK})
  void hybridPiecesHashEachFilePaddedWithZeros(int pieceLength) throws Exception {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (byte[] content : FILES.values()) {
      stream.writeBytes(content);
      int tail = content.length % pieceLength;
      if (tail != 0) {
        stream.writeBytes(new byte[pieceLength - tail]);
      }
    }
    Torrent t = build(TorrentVersion.HYBRID, pieceLength, 4);
    checkSha1Pieces(t, stream.toByteArray(), pieceLength);
    checkMerkleRoots(t, pieceLength);
  }

  @ParameterizedTest
  @ValueSource(ints = {BLOCK, 2 * BLOCK, 8 * BLOCK})
  void v2RootsAndPieceLayersAreMerkleTreesOf16KiBBlocks(int pieceLength) throws Exception {
    checkMerkleRoots(build(TorrentVersion.V2, pieceLength, 4), pieceLength);
  }

  @Test
  void v1PiecesOfASingleFileAreTheSha1OfEachPiece(@TempDir Path dir) throws Exception {
    byte[] content = new byte[5 * BLOCK + 123];
    new Random(5).nextBytes(content);
    Path file = Files.write(dir.resolve("one.bin"), content);
    Torrent t = TorrentBuilder.create(file).pieceLength(BLOCK).parallelism(1).build();
    assertThat(t.isSingleFile()).isTrue();
    assertThat(t.files())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).containsExactly("one.bin"));
    checkSha1Pieces(t, content, BLOCK);
    Torrent v2 =
        TorrentBuilder.create(file).version(TorrentVersion.V2).pieceLength(2 * BLOCK).build();
    assertThat(v2.files().get(0).piecesRoot().orElseThrow().bytes()).isEqualTo(merkleRoot(content));
  }

  private static void checkSha1Pieces(Torrent t, byte[] stream, int pieceLength) throws Exception {
    int pieces = (stream.length + pieceLength - 1) / pieceLength;
    assertThat(t.pieceCount()).isEqualTo(pieces);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    for (int i = 0; i < pieces; i++) {
      int from = i * pieceLength;
      sha1.update(stream, from, Math.min(pieceLength, stream.length - from));
      assertThat(t.pieceHash(i)).as("piece %s", i).isEqualTo(sha1.digest());
    }
  }

  private static void checkMerkleRoots(Torrent t, int pieceLength) throws Exception {
    int files = 0;
    for (FileEntry f : t.files()) {
      if (f.isPadding()) {
        continue;
      }
      files++;
      byte[] content = FILES.get(f.path());
      if (content.length == 0) {
        assertThat(f.piecesRoot()).isEmpty();
        continue;
      }
      MerkleRoot root = f.piecesRoot().orElseThrow();
      assertThat(root.bytes()).as(f.pathString()).isEqualTo(merkleRoot(content));
      if (content.length > pieceLength) {
        assertThat(t.pieceLayer(root).orElseThrow())
            .as(f.pathString())
            .isEqualTo(pieceLayer(content, pieceLength));
      } else {
        assertThat(t.pieceLayer(root)).isEmpty();
      }
    }
    assertThat(files).isEqualTo(FILES.size());
  }

  /** SHA-256 of each 16 KiB block (the last one shorter). */
  private static List<byte[]> leaves(byte[] data, int from, int to) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    List<byte[]> leaves = new ArrayList<>();
    for (int at = from; at < to; at += BLOCK) {
      sha256.update(data, at, Math.min(BLOCK, to - at));
      leaves.add(sha256.digest());
    }
    return leaves;
  }

  /** The root over {@code width} leaves (a power of two), missing ones being zero hashes. */
  private static byte[] subtreeRoot(List<byte[]> leaves, int width) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    List<byte[]> level = new ArrayList<>(leaves);
    while (level.size() < width) {
      level.add(new byte[32]);
    }
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        sha256.update(level.get(i));
        sha256.update(level.get(i + 1));
        next.add(sha256.digest());
      }
      level = next;
    }
    return level.get(0);
  }

  /** A file's BEP 52 pieces root: its leaves padded with zero hashes to a power of two. */
  static byte[] merkleRoot(byte[] content) throws Exception {
    List<byte[]> leaves = leaves(content, 0, content.length);
    int width = 1;
    while (width < leaves.size()) {
      width *= 2;
    }
    return subtreeRoot(leaves, width);
  }

  private static byte[] pieceLayer(byte[] content, int pieceLength) throws Exception {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    for (int at = 0; at < content.length; at += pieceLength) {
      int to = Math.min(content.length, at + pieceLength);
      layer.writeBytes(subtreeRoot(leaves(content, at, to), pieceLength / BLOCK));
    }
    return layer.toByteArray();
  }
}
