package dev.bitwright.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature lines of this module's own API, and a committed file that no longer matches. */
class ApiSignaturesTest {
  private static final Path CLASSES = Path.of("target/classes");

  @TempDir Path dir;

  @Test
  void describesTypesWithTheirMembersConstantsAndExceptions() throws Exception {
    List<String> api = ApiSignatures.of(CLASSES);
    assertThat(api)
        .startsWith("package dev.bitwright.testsupport")
        .contains(
            "public final class dev.bitwright.testsupport.ApiSignatures",
            "  public static final java.lang.String UPDATE_PROPERTY = bitwright.api.update",
            "  public static void assertMatchesCommitted(java.nio.file.Path,java.nio.file.Path)"
                + " throws java.io.IOException",
            "  public static java.util.List<java.lang.String> of(java.nio.file.Path)"
                + " throws java.io.IOException")
        .noneMatch(line -> line.contains("withoutOwner"))
        .noneMatch(line -> line.contains("ApiSignatures()"));
    assertThat(api.indexOf("public final class dev.bitwright.testsupport.ApiSignatures"))
        .isLessThan(api.indexOf("public final class dev.bitwright.testsupport.ModuleBoundaries"));
  }

  @Test
  void aMemberMissingFromTheCommittedFileFailsAndIsNamed() throws Exception {
    List<String> committed = new ArrayList<>(ApiSignatures.of(CLASSES));
    String line =
        "  public static java.util.List<java.lang.String> of(java.nio.file.Path)"
            + " throws java.io.IOException";
    assertThat(committed.remove(line)).isTrue();
    Path file = dir.resolve("test-support.api");
    Files.write(file, committed, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ApiSignatures.assertMatchesCommitted(CLASSES, file))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the public API changed")
        .hasMessageContaining("added:\n    " + line);
  }

  @Test
  void aMissingFileFailsAndSaysHowToWriteIt() {
    assertThatThrownBy(() -> ApiSignatures.assertMatchesCommitted(CLASSES, dir.resolve("none.api")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("-Dbitwright.api.update=true");
  }
}
