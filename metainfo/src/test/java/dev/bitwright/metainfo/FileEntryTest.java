package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileEntryTest {

  private static FileEntry entry(List<String> path, long length, long offset) {
    return new FileEntry(path, length, offset, Set.of(), List.of(), Optional.empty());
  }

  @Test
  void checksItsArguments() {
    assertThatThrownBy(() -> entry(List.of(), 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(List.of("a"), -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry(List.of("a"), 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(entry(List.of("a"), 0, 0).length()).isZero();
  }

  @Test
  void copiesItsCollections() {
    List<String> path = new ArrayList<>(List.of("a", "b"));
    Set<FileAttribute> attributes = EnumSet.of(FileAttribute.HIDDEN);
    List<String> target = new ArrayList<>(List.of("t"));
    FileEntry f = new FileEntry(path, 1, 0, attributes, target, Optional.empty());
    path.add("c");
    attributes.add(FileAttribute.PADDING);
    target.clear();
    assertThat(f.path()).containsExactly("a", "b");
    assertThat(f.attributes()).containsExactly(FileAttribute.HIDDEN);
    assertThat(f.symlinkTarget()).containsExactly("t");
    assertThat(f.isPadding()).isFalse();
    assertThatThrownBy(() -> f.path().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> f.attributes().add(FileAttribute.SYMLINK))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void joinsItsPathWithSlashes() {
    assertThat(entry(List.of("a", "b", "c.txt"), 1, 0).pathString()).isEqualTo("a/b/c.txt");
    assertThat(entry(List.of("one"), 1, 0).pathString()).isEqualTo("one");
  }

  @Test
  void paddingFilesCarryThePaddingAttribute() {
    FileEntry pad =
        new FileEntry(
            List.of(".pad", "5"), 5, 0, Set.of(FileAttribute.PADDING), List.of(), Optional.empty());
    assertThat(pad.isPadding()).isTrue();
    assertThat(entry(List.of("x"), 5, 0).isPadding()).isFalse();
  }

  @Test
  void equalEntriesAreEqual() {
    MerkleRoot root = new MerkleRoot(new byte[32]);
    FileEntry a =
        new FileEntry(
            List.of("a"), 1, 2, Set.of(FileAttribute.EXECUTABLE), List.of(), Optional.of(root));
    FileEntry b =
        new FileEntry(
            new ArrayList<>(List.of("a")),
            1,
            2,
            EnumSet.of(FileAttribute.EXECUTABLE),
            List.of(),
            Optional.of(new MerkleRoot(new byte[32])));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void parsesAndFormatsAttributeStrings() {
    assertThat(FileAttribute.parse("")).isEmpty();
    assertThat(FileAttribute.parse("lhxp")).containsExactlyInAnyOrder(FileAttribute.values());
    assertThat(FileAttribute.parse("x?!x")).containsExactly(FileAttribute.EXECUTABLE);
    assertThat(FileAttribute.parse("P X")).isEmpty();
    assertThat(FileAttribute.format(EnumSet.allOf(FileAttribute.class))).isEqualTo("pxhl");
    assertThat(FileAttribute.format(Set.of(FileAttribute.SYMLINK, FileAttribute.HIDDEN)))
        .isEqualTo("hl");
    assertThat(FileAttribute.format(Set.of())).isEmpty();
    for (FileAttribute a : FileAttribute.values()) {
      assertThat(FileAttribute.parse(String.valueOf(a.code()))).containsExactly(a);
      assertThat(FileAttribute.format(Set.of(a))).isEqualTo(String.valueOf(a.code()));
    }
  }

  @Test
  void versionsKnowWhichMetadataTheyCarry() {
    assertThat(TorrentVersion.V1.hasV1()).isTrue();
    assertThat(TorrentVersion.V1.hasV2()).isFalse();
    assertThat(TorrentVersion.V2.hasV1()).isFalse();
    assertThat(TorrentVersion.V2.hasV2()).isTrue();
    assertThat(TorrentVersion.HYBRID.hasV1()).isTrue();
    assertThat(TorrentVersion.HYBRID.hasV2()).isTrue();
  }
}
