package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.internal.PathRules;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Malformed input never escapes as anything but {@link MetainfoException}; links round-trip. */
class MetainfoProperties {

  @Provide
  Arbitrary<byte[]> mutatedGoldens() {
    return MetainfoArbitraries.mutatedGoldens();
  }

  @Provide
  Arbitrary<byte[]> structurallyMutatedGoldens() {
    return MetainfoArbitraries.structurallyMutatedGoldens();
  }

  @Provide
  Arbitrary<byte[]> bencodeLikeBytes() {
    return MetainfoArbitraries.bencodeLikeBytes();
  }

  @Provide
  Arbitrary<byte[]> torrentLikeEncodings() {
    return MetainfoArbitraries.torrentLikeValues(4).map(TestTorrents::encode);
  }

  @Provide
  Arbitrary<MagnetLink> magnetLinks() {
    return MetainfoArbitraries.magnetLinks();
  }

  @Provide
  Arbitrary<String> magnetLikeStrings() {
    Arbitrary<String> parameters =
        Arbitraries.strings()
            .withChars("xtdnrwsope.=&%:[]-,+0123456789abcdefABCDEF urnbtihm")
            .withCharRange('\u00a0', '\u00ff')
            .ofMaxLength(120);
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(100),
        parameters.map(p -> "magnet:?" + p),
        parameters.map(p -> "magnet:?xt=urn:btih:" + p),
        parameters.map(p -> "magnet:?xt=urn:btmh:1220" + p));
  }

  @Provide
  Arbitrary<String> mutatedMagnetUris() {
    Arbitrary<Character> chars = Arbitraries.chars();
    Arbitrary<Character> likely = Arbitraries.of('%', '&', '=', ':', '[', ']', '-', ',', '+', 'z');
    Arbitrary<Character> replacements = Arbitraries.oneOf(chars, likely);
    return Combinators.combine(
            magnetLinks().map(MagnetLink::toUri),
            Combinators.combine(
                    Arbitraries.integers().between(0, 3),
                    Arbitraries.integers().between(0, Integer.MAX_VALUE),
                    replacements)
                .as((kind, at, c) -> new int[] {kind, at, c})
                .list()
                .ofMinSize(1)
                .ofMaxSize(3))
        .as(MetainfoProperties::mutate);
  }

  private static String mutate(String uri, List<int[]> edits) {
    StringBuilder s = new StringBuilder(uri);
    for (int[] edit : edits) {
      if (s.length() == 0) {
        break;
      }
      int at = edit[1] % s.length();
      char c = (char) edit[2];
      switch (edit[0]) {
        case 0 -> s.setCharAt(at, c);
        case 1 -> s.setLength(at);
        case 2 -> s.deleteCharAt(at);
        default -> s.insert(at, c);
      }
    }
    return s.toString();
  }

  @Property(tries = 10_000)
  void mutatedGoldenTorrentsOnlyEverRaiseMetainfoException(@ForAll("mutatedGoldens") byte[] input) {
    parseExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 10_000)
  void structurallyMutatedGoldenTorrentsOnlyEverRaiseMetainfoException(
      @ForAll("structurallyMutatedGoldens") byte[] input) {
    parseExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 10_000)
  void randomBytesOnlyEverRaiseMetainfoException(@ForAll byte[] input) {
    parseExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 10_000)
  void bencodeLikeBytesOnlyEverRaiseMetainfoException(@ForAll("bencodeLikeBytes") byte[] input) {
    parseExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 10_000)
  void torrentLikeValuesOnlyEverRaiseMetainfoException(
      @ForAll("torrentLikeEncodings") byte[] input) {
    parseExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 10_000)
  void randomStringsOnlyEverRaiseMetainfoExceptionAsMagnetLinks(
      @ForAll("magnetLikeStrings") String input) {
    parseMagnetExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 10_000)
  void mutatedMagnetUrisOnlyEverRaiseMetainfoException(@ForAll("mutatedMagnetUris") String input) {
    parseMagnetExpectingOnlyMetainfoException(input);
  }

  @Property(tries = 2_000)
  void magnetLinksSurviveARoundTripThroughTheirUri(@ForAll("magnetLinks") MagnetLink link)
      throws Exception {
    String uri = link.toUri();
    assertThat(uri).startsWith("magnet:?xt=urn:bt");
    assertThat(uri.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
    assertThat(MagnetLink.parse(uri)).isEqualTo(link);
  }

  @Example
  void everyGoldenSurvivesARoundTripThroughItsBytes() throws Exception {
    for (Golden golden : Golden.all()) {
      Torrent t = Torrent.parse(golden.bytes());
      Torrent again = Torrent.parse(t.toBytes());
      assertThat(again.infoHashes()).as(golden.file()).isEqualTo(t.infoHashes());
      assertThat(again.files()).isEqualTo(t.files());
      assertThat(again.trackers()).isEqualTo(t.trackers());
      assertThat(Torrent.parseInfo(t.infoBytes()).infoHashes()).isEqualTo(t.infoHashes());
      assertThat(MagnetLink.parse(t.toMagnetLink().toUri())).isEqualTo(t.toMagnetLink());
    }
  }

  /** Any outcome but an exception other than {@link MetainfoException} passes. */
  private static void parseExpectingOnlyMetainfoException(byte[] input) {
    Torrent torrent;
    try {
      torrent = Torrent.parse(input);
    } catch (MetainfoException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      Statistics.collect(expected.offset().isPresent() ? "malformed bencode" : "invalid torrent");
      return;
    } catch (Throwable unexpected) {
      throw new AssertionError("Torrent.parse threw " + unexpected, unexpected);
    }
    Statistics.collect("accepted");
    checkInvariants(torrent);
  }

  /** A torrent that was accepted is consistent and safe. */
  private static void checkInvariants(Torrent t) {
    try {
      assertThat(Torrent.parse(t.toBytes()).infoHashes()).isEqualTo(t.infoHashes());
      assertThat(Torrent.parseInfo(t.infoBytes()).files()).isEqualTo(t.files());
      assertThat(Integer.bitCount(t.pieceLength())).isEqualTo(1);
      assertThat(t.pieceCount()).isPositive();
      assertThat(t.files()).isNotEmpty();
      long total = 0;
      for (FileEntry f : t.files()) {
        total += f.length();
        for (String component : f.path()) {
          PathRules.checkComponent(component, "path");
        }
        for (String component : f.symlinkTarget()) {
          PathRules.checkComponent(component, "symlink");
        }
      }
      PathRules.checkComponent(t.name(), "name");
      assertThat(total).isEqualTo(t.totalLength());
      if (t.version().hasV1()) {
        assertThat(t.pieceHash(t.pieceCount() - 1)).hasSize(20);
      }
    } catch (MetainfoException e) {
      throw new AssertionError("an accepted torrent is inconsistent: " + e, e);
    }
  }

  private static void parseMagnetExpectingOnlyMetainfoException(String input) {
    try {
      MagnetLink link = MagnetLink.parse(input);
      assertThat(MagnetLink.parse(link.toUri())).isEqualTo(link);
    } catch (MetainfoException expected) {
      assertThat(expected.field()).isPresent();
    } catch (Throwable unexpected) {
      throw new AssertionError(
          "MagnetLink.parse threw " + unexpected + " for " + input, unexpected);
    }
  }
}
