package dev.bitwright.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bitwright.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafePathsTest {
  @TempDir Path root;
  @TempDir Path outside;

  @Test
  void componentsResolveBelowTheRoot() throws StorageException {
    assertThat(SafePaths.resolve(root, List.of("a", "b", "c.txt")))
        .isEqualTo(root.resolve("a/b/c.txt"));
    assertThat(SafePaths.resolve(root, List.of(".hidden"))).isEqualTo(root.resolve(".hidden"));
  }

  @Test
  void pathsThatLeaveOrEqualTheRootAreRejected() {
    List<List<String>> bad =
        List.of(
            List.of(".."),
            List.of("a", "..", "..", "etc"),
            List.of("a", ".."),
            List.of("."),
            List.of(),
            List.of("/etc/passwd"),
            List.of("a/../../b"));
    for (List<String> components : bad) {
      StorageException e =
          catchThrowableOfType(StorageException.class, () -> SafePaths.resolve(root, components));
      assertThat(e).as("%s", components).isNotNull();
      assertThat(e.operation()).isEqualTo("resolve");
      assertThat(e.getMessage()).contains("leaves the download folder");
    }
  }

  @Test
  void symbolicLinksOnTheWayAreRefused() throws IOException {
    Path link;
    try {
      link = Files.createSymbolicLink(root.resolve("t"), outside);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "no symbolic links here");
      return;
    }
    assertThatThrownBy(() -> SafePaths.checkNoSymbolicLinks(root, root.resolve("t/x/y")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(link.toString())
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> SafePaths.checkNoSymbolicLinks(root, link))
        .isInstanceOf(StorageException.class);
    Files.delete(link);
    // Paths that do not exist yet, or exist without links, pass.
    SafePaths.checkNoSymbolicLinks(root, root.resolve("t/x/y"));
    Files.createDirectories(root.resolve("t/x"));
    SafePaths.checkNoSymbolicLinks(root, root.resolve("t/x/y"));
  }
}
