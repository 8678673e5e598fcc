package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.ModuleBoundaries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"), "dev.bitwright.tracker");
    assertThat(Path.of("target/classes/dev/bitwright/tracker/internal")).isDirectory();
  }
}
