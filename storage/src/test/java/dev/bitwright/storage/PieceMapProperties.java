package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.storage.Fixtures.Spec;
import dev.bitwright.storage.PieceMap.PiecePosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of {@link PieceMap} over random layouts of real {@link Torrent}s (v1 with BEP 47
 * padding files, v2, hybrid), checked against a model computed from the file lengths alone.
 */
class PieceMapProperties {

  /** One file of a layout; {@code padding} is only used for v1. */
  record FileSpec(long length, boolean padding) {}

  /** A random torrent layout. */
  record Layout(TorrentVersion version, int pieceLength, List<FileSpec> files, long seed) {
    boolean hasData() {
      return files.stream().mapToLong(FileSpec::length).sum() > 0;
    }

    Torrent torrent() throws IOException {
      Random random = new Random(seed);
      List<Spec> specs = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        FileSpec f = files.get(i);
        boolean pad = version == TorrentVersion.V1 && f.padding();
        specs.add(pad ? Spec.pad(f.length(), i) : Spec.file(f.length(), Fixtures.name(i)));
      }
      switch (version) {
        case V1:
          if (specs.size() == 1 && !specs.get(0).padding() && (seed & 1) == 0) {
            return Fixtures.v1Single("single.bin", pieceLength, specs.get(0).length(), random);
          }
          return Fixtures.v1("t", pieceLength, specs, random);
        case V2:
          return Fixtures.v2Info("t", pieceLength, specs, random);
        default:
          return Fixtures.hybridInfo("t", pieceLength, specs, random);
      }
    }
  }

  /** The expected layout, computed independently of {@link PieceMap}. */
  static final class Model {
    final int pieceLength;
    final long[] start;
    final long[] length;
    final boolean[] padding;
    final List<long[]> pieces = new ArrayList<>(); // {stream start, size, file or -1}

    Model(Torrent torrent) {
      List<FileEntry> files = torrent.files();
      boolean perFile = torrent.version() == TorrentVersion.V2;
      pieceLength = torrent.pieceLength();
      int n = files.size();
      start = new long[n];
      length = new long[n];
      padding = new boolean[n];
      long at = 0;
      for (int i = 0; i < n; i++) {
        start[i] = at;
        length[i] = files.get(i).length();
        padding[i] = files.get(i).isPadding();
        at += length[i];
        if (perFile) {
          at = Fixtures.ceilDiv(at, pieceLength) * pieceLength;
        }
      }
      if (perFile) {
        for (int i = 0; i < n; i++) {
          for (long k = 0; k * pieceLength < length[i]; k++) {
            long size = Math.min(pieceLength, length[i] - k * pieceLength);
            pieces.add(new long[] {start[i] + k * pieceLength, size, i});
          }
        }
      } else {
        long total = 0;
        for (long l : length) {
          total += l;
        }
        for (long p = 0; p * pieceLength < total; p++) {
          pieces.add(
              new long[] {p * pieceLength, Math.min(pieceLength, total - p * pieceLength), -1});
        }
      }
    }

    List<FileSlice> slices(long from, long to) {
      List<FileSlice> slices = new ArrayList<>();
      for (int i = 0; i < start.length; i++) {
        long lo = Math.max(from, start[i]);
        long hi = Math.min(to, start[i] + length[i]);
        if (hi > lo) {
          slices.add(new FileSlice(i, lo - start[i], (int) (hi - lo), padding[i]));
        }
      }
      return slices;
    }
  }

  @Provide
  Arbitrary<Layout> layouts() {
    Arbitrary<Long> zero = Arbitraries.just(0L);
    Arbitrary<Long> tiny = Arbitraries.longs().between(1, 100);
    Arbitrary<Long> edges = Arbitraries.of(16383L, 16384L, 16385L, 32768L, 65536L, 131072L);
    Arbitrary<Long> any = Arbitraries.longs().between(1, 200 * 1024);
    Arbitrary<Long> lengths =
        Arbitraries.frequencyOf(
            List.of(Tuple.of(4, zero), Tuple.of(2, tiny), Tuple.of(1, edges), Tuple.of(5, any)));
    Arbitrary<FileSpec> files =
        Combinators.combine(lengths, Arbitraries.integers().between(0, 4))
            .as((length, p) -> new FileSpec(length, p == 0));
    return Combinators.combine(
            Arbitraries.of(TorrentVersion.class),
            Arbitraries.integers().between(0, 4).map(e -> (16 * 1024) << e),
            files.list().ofMinSize(1).ofMaxSize(40),
            Arbitraries.longs())
        .as(Layout::new)
        .filter(Layout::hasData);
  }

  @Property(tries = 1000)
  void everyPieceIsItsModelSlicesAndTheSlicesTileEveryFileOnce(@ForAll("layouts") Layout layout)
      throws IOException {
    Torrent torrent = layout.torrent();
    PieceMap map = PieceMap.of(torrent);
    Model model = new Model(torrent);
    int n = torrent.files().size();

    assertThat(map.pieceCount()).isEqualTo(model.pieces.size()).isEqualTo(torrent.pieceCount());
    assertThat(map.pieceLength()).isEqualTo(layout.pieceLength());
    assertThat(map.allPieces().cardinality()).isEqualTo(map.pieceCount());
    assertThat(map.fileCount()).isEqualTo(n);
    for (int f = 0; f < n; f++) {
      assertThat(map.fileLength(f)).isEqualTo(model.length[f]);
      assertThat(map.isPadding(f)).isEqualTo(model.padding[f]);
      assertThat(torrent.files().get(f).offset()).as("offset of %s", f).isEqualTo(model.start[f]);
    }

    long[] covered = new long[n];
    long sizes = 0;
    for (int p = 0; p < map.pieceCount(); p++) {
      long[] expected = model.pieces.get(p);
      assertThat(expected[0])
          .as("pieces index an aligned stream")
          .isEqualTo((long) p * layout.pieceLength());
      int size = map.pieceSize(p);
      assertThat((long) size).as("size of piece %s", p).isEqualTo(expected[1]);
      sizes += size;
      List<FileSlice> slices = map.slices(p, 0, size);
      assertThat(slices).isEqualTo(model.slices(expected[0], expected[0] + size));
      long sum = 0;
      long stream = expected[0];
      for (FileSlice s : slices) {
        assertThat(s.length()).isPositive();
        assertThat(s.offset()).as("slice %s continues its file", s).isEqualTo(covered[s.file()]);
        assertThat(model.start[s.file()] + s.offset())
            .as("slices are in stream order")
            .isEqualTo(stream);
        covered[s.file()] += s.length();
        stream += s.length();
        sum += s.length();
        if (expected[2] >= 0) {
          assertThat(s.file()).as("a v2 piece never spans files").isEqualTo((int) expected[2]);
        }
      }
      assertThat(sum).isEqualTo(size);
      if (layout.version() != TorrentVersion.V2 && p < map.pieceCount() - 1) {
        assertThat(size).isEqualTo(layout.pieceLength());
      }
    }
    for (int f = 0; f < n; f++) {
      assertThat(covered[f]).as("bytes of file %s mapped once", f).isEqualTo(model.length[f]);
    }
    assertThat(sizes).isEqualTo(torrent.totalLength());
    if (layout.version() == TorrentVersion.V2) {
      for (int f = 0; f < n; f++) {
        if (model.length[f] > 0) {
          int last = map.lastPiece(f);
          long before = (long) (last - map.firstPiece(f)) * layout.pieceLength();
          assertThat((long) map.pieceSize(last)).isEqualTo(model.length[f] - before);
        }
      }
    }
  }

  @Property(tries = 1000)
  void locateIsTheInverseOfSlices(@ForAll("layouts") Layout layout, @ForAll Random random)
      throws IOException {
    Torrent torrent = layout.torrent();
    PieceMap map = PieceMap.of(torrent);
    Model model = new Model(torrent);
    int pl = layout.pieceLength();
    for (int f = 0; f < map.fileCount(); f++) {
      long length = model.length[f];
      if (length == 0) {
        continue;
      }
      TreeSet<Long> offsets = new TreeSet<>(List.of(0L, length - 1));
      long firstBoundary = Fixtures.ceilDiv(model.start[f], pl) * pl - model.start[f];
      for (long b = firstBoundary, k = 0; k < 3; b += pl, k++) {
        offsets.add(b);
        offsets.add(b - 1);
      }
      for (int i = 0; i < 5; i++) {
        offsets.add((long) (random.nextDouble() * length));
      }
      for (long off : offsets.subSet(0L, length)) {
        PiecePosition at = map.locate(f, off);
        assertThat((long) at.piece() * pl + at.offset()).isEqualTo(model.start[f] + off);
        assertThat(at.piece()).isBetween(map.firstPiece(f), map.lastPiece(f));
        assertThat(map.contains(at.piece(), at.offset(), 1)).isTrue();
        assertThat(map.slices(at.piece(), at.offset(), 1))
            .containsExactly(new FileSlice(f, off, 1, model.padding[f]));
      }
    }
    for (int p = 0; p < map.pieceCount(); p++) {
      int size = map.pieceSize(p);
      for (int o : new int[] {0, size - 1, random.nextInt(size)}) {
        List<FileSlice> one = map.slices(p, o, 1);
        assertThat(one).hasSize(1);
        assertThat(map.locate(one.get(0).file(), one.get(0).offset()))
            .isEqualTo(new PiecePosition(p, o));
      }
    }
  }

  @Property(tries = 1000)
  void subRangesSplitIntoSlicesThatSumToTheirLength(
      @ForAll("layouts") Layout layout, @ForAll Random random) throws IOException {
    Torrent torrent = layout.torrent();
    PieceMap map = PieceMap.of(torrent);
    Model model = new Model(torrent);
    for (int i = 0; i < 100; i++) {
      int p = random.nextInt(map.pieceCount());
      int size = map.pieceSize(p);
      int offset = random.nextInt(size);
      int length = 1 + random.nextInt(size - offset);
      assertThat(map.contains(p, offset, length)).isTrue();
      List<FileSlice> slices = map.slices(p, offset, length);
      assertThat(slices.stream().mapToLong(FileSlice::length).sum()).isEqualTo(length);
      long from = (long) p * layout.pieceLength() + offset;
      assertThat(slices).isEqualTo(model.slices(from, from + length));
      assertThat(model.start[slices.get(0).file()] + slices.get(0).offset()).isEqualTo(from);
    }
  }

  @Property(tries = 1000)
  void firstAndLastPieceAreConsistent(@ForAll("layouts") Layout layout) throws IOException {
    Torrent torrent = layout.torrent();
    PieceMap map = PieceMap.of(torrent);
    int previousLast = -1;
    int n = map.fileCount();
    for (int f = 0; f < n; f++) {
      long length = map.fileLength(f);
      if (length == 0) {
        assertThat(map.firstPiece(f)).isEqualTo(-1);
        assertThat(map.lastPiece(f)).isEqualTo(-1);
        continue;
      }
      int first = map.firstPiece(f);
      int last = map.lastPiece(f);
      assertThat(first).isEqualTo(map.locate(f, 0).piece());
      assertThat(last).isEqualTo(map.locate(f, length - 1).piece());
      assertThat(first).isBetween(0, last);
      assertThat(last).isLessThan(map.pieceCount());
      if (layout.version() == TorrentVersion.V2) {
        assertThat(first)
            .as("v2 files follow each other piece by piece")
            .isEqualTo(previousLast + 1);
        assertThat(map.locate(f, 0).offset()).isZero();
      } else {
        assertThat(first).isGreaterThanOrEqualTo(Math.max(previousLast, 0));
      }
      previousLast = last;
      int file = f;
      assertThatThrownBy(() -> map.locate(file, -1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> map.locate(file, length))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(previousLast).isEqualTo(map.pieceCount() - 1);
    assertThatThrownBy(() -> map.locate(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> map.locate(n, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> map.firstPiece(n)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> map.lastPiece(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Property(tries = 1000)
  void rangesOutsideAPieceAreRejected(@ForAll("layouts") Layout layout, @ForAll Random random)
      throws IOException {
    PieceMap map = PieceMap.of(layout.torrent());
    int count = map.pieceCount();
    int p = random.nextInt(count);
    int size = map.pieceSize(p);
    int[][] bad = {
      {-1, 0, 1},
      {count, 0, 1},
      {Integer.MIN_VALUE, 0, 1},
      {Integer.MAX_VALUE, 0, 1},
      {p, -1, 1},
      {p, 0, 0},
      {p, 0, -1},
      {p, size, 1},
      {p, 0, size + 1},
      {p, size - 1, 2},
      {p, random.nextInt(size), size + 1},
      {p, Integer.MAX_VALUE, Integer.MAX_VALUE},
      {p, Integer.MIN_VALUE, Integer.MAX_VALUE},
      {p, 1, Integer.MAX_VALUE},
    };
    for (int[] r : bad) {
      assertThat(map.contains(r[0], r[1], r[2]))
          .as("contains %s+%s:%s", r[0], r[1], r[2])
          .isFalse();
      assertThatThrownBy(() -> map.slices(r[0], r[1], r[2]))
          .as("slices %s+%s:%s", r[0], r[1], r[2])
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(map.contains(p, 0, size)).isTrue();
    assertThat(map.contains(p, size - 1, 1)).isTrue();
    assertThatThrownBy(() -> map.pieceSize(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> map.pieceSize(count)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
