package dev.bitwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.ModuleBoundaries;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
  private static final Path CLASSES = Path.of("target/classes");

  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(CLASSES, "dev.bitwright.testing");
  }

  /** MockPeer's methods take and return the wire module's types. */
  @Test
  void requiresTheWireModuleTransitively() throws Exception {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertThat(descriptor.requires())
        .anySatisfy(
            r -> {
              assertThat(r.name()).isEqualTo("dev.bitwright.wire");
              assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
            });
    assertThat(descriptor.packages()).containsExactly("dev.bitwright.testing");
  }
}
