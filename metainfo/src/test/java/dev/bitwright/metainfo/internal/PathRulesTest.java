package dev.bitwright.metainfo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.MetainfoException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {
  private static final Set<String> DEVICES =
      Set.of(
          "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
          "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file.txt",
        "a",
        "...",
        ".hidden",
        "a..b",
        "..a",
        "a.",
        " ",
        "with space",
        "日本語.txt",
        "Ünïcödé",
        "emoji 😀",
        "CON",
        "a:b",
        "∕",
        "tab\there"
      })
  void acceptsOrdinaryAndUnicodeComponents(String component) throws Exception {
    assertThat(PathRules.checkComponent(component, "f")).isSameAs(component);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", ".", "..", "/", "a/b", "/a", "a/", "\\", "a\\b", "\0", "a\0", "..\\x"})
  void rejectsComponentsThatCouldEscapeTheFolder(String component) {
    MetainfoException e =
        catchThrowableOfType(
            MetainfoException.class, () -> PathRules.checkComponent(component, "info.name"));
    assertThat(e).isNotNull();
    assertThat(e.field()).contains("info.name");
    assertThat(e.getMessage()).startsWith("info.name: ");
  }

  @Test
  void namesTheForbiddenCharacter() {
    assertThat(messageFor("a/b")).contains("U+002F");
    assertThat(messageFor("a\\b")).contains("U+005C");
    assertThat(messageFor("a\0b")).contains("U+0000");
    assertThat(messageFor("..")).contains("'..'");
    assertThat(messageFor("")).contains("empty");
  }

  private static String messageFor(String component) {
    return catchThrowableOfType(
            MetainfoException.class, () -> PathRules.checkComponent(component, "x"))
        .getMessage();
  }

  static Stream<Arguments> portableNames() {
    return Stream.of(
        Arguments.of("a:b?.txt", "a_b_.txt"),
        Arguments.of("<>:\"|?*", "_______"),
        Arguments.of("CON", "_CON"),
        Arguments.of("con", "_con"),
        Arguments.of("con.txt", "_con.txt"),
        Arguments.of("Con.tar.gz", "_Con.tar.gz"),
        Arguments.of("LPT9.log", "_LPT9.log"),
        Arguments.of("com1", "_com1"),
        Arguments.of("NUL", "_NUL"),
        Arguments.of("aux.h", "_aux.h"),
        Arguments.of("PRN", "_PRN"),
        Arguments.of("CON .txt", "_CON .txt"),
        Arguments.of("name. ", "name__"),
        Arguments.of("name...", "name___"),
        Arguments.of("dots.", "dots_"),
        Arguments.of("CON.", "CON_"),
        Arguments.of("a\u0001b\u001f", "a_b_"),
        Arguments.of("tab\there\n", "tab_here_"),
        Arguments.of("CONSOLE", "CONSOLE"),
        Arguments.of("LPT10", "LPT10"),
        Arguments.of("COM", "COM"),
        Arguments.of("icon.txt", "icon.txt"),
        Arguments.of("file.txt", "file.txt"),
        Arguments.of(".hidden", ".hidden"),
        Arguments.of("a b", "a b"),
        Arguments.of("日本語", "日本語"),
        Arguments.of("a\u007fb", "a\u007fb"),
        Arguments.of("COM0", "_COM0"),
        Arguments.of("lpt0.log", "_lpt0.log"),
        Arguments.of("COM\u00B9", "_COM\u00B9"),
        Arguments.of("LPT\u00B3.txt", "_LPT\u00B3.txt"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("portableNames")
  void mapsNamesWindowsCannotStore(String component, String portable) {
    assertThat(PathRules.portableComponent(component)).isEqualTo(portable);
  }

  @Test
  void fileEntriesMapEveryComponentOfTheirPath() {
    FileEntry entry =
        new FileEntry(
            List.of("dir:1", "CON", "sub. ", "ok.txt"),
            1,
            0,
            Set.of(),
            List.of(),
            Optional.empty());
    assertThat(entry.portablePath()).containsExactly("dir_1", "_CON", "sub__", "ok.txt");
    assertThat(entry.path()).containsExactly("dir:1", "CON", "sub. ", "ok.txt");
    FileEntry plain =
        new FileEntry(List.of("a", "b.txt"), 1, 0, Set.of(), List.of(), Optional.empty());
    assertThat(plain.portablePath()).isEqualTo(plain.path());
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> devices =
        Arbitraries.of(DEVICES)
            .flatMap(
                d ->
                    Arbitraries.strings()
                        .withChars(".:? ")
                        .withCharRange('a', 'c')
                        .ofMaxLength(4)
                        .map(tail -> d.toLowerCase(Locale.ROOT) + tail));
    Arbitrary<String> tricky =
        Arbitraries.strings()
            .withChars("<>:\"|?*. \u0000\u0001\u001fé日aC")
            .withCharRange('a', 'z')
            .ofMaxLength(12);
    return Arbitraries.oneOf(devices, tricky, Arbitraries.strings().ofMaxLength(12));
  }

  @Property(tries = 2000)
  void portableNamesAreStorableOnWindowsAndStable(@ForAll("names") String name) {
    String portable = PathRules.portableComponent(name);
    assertThat(PathRules.portableComponent(portable)).isEqualTo(portable);
    assertThat(portable.chars()).noneMatch(c -> c < 0x20 || "<>:\"|?*".indexOf(c) >= 0);
    assertThat(portable).doesNotEndWith(".").doesNotEndWith(" ");
    int dot = portable.indexOf('.');
    String stem = (dot < 0 ? portable : portable.substring(0, dot)).stripTrailing();
    assertThat(DEVICES).doesNotContain(stem.toUpperCase(Locale.ROOT));
    assertThat(portable.length()).isBetween(name.length(), name.length() + 1);
    if (name.equals(portable)) {
      return;
    }
    assertThat(
            name.chars().anyMatch(c -> c < 0x20 || "<>:\"|?*".indexOf(c) >= 0)
                || name.endsWith(".")
                || name.endsWith(" ")
                || portable.startsWith("_"))
        .as("%s was changed without a reason", name)
        .isTrue();
  }
}
