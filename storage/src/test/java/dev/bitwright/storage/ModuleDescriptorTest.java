package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.ModuleBoundaries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"), "dev.bitwright.storage");
    assertThat(Path.of("target/classes/dev/bitwright/storage/internal")).isDirectory();
  }
}
