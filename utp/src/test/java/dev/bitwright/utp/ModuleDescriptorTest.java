package dev.bitwright.utp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.ModuleBoundaries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"), "dev.bitwright.utp");
    assertThat(Path.of("target/classes/dev/bitwright/utp/internal")).isDirectory();
    assertThat(Files.exists(Path.of("target/classes/dev/bitwright/utp/UtpEndpoint.class")))
        .isTrue();
  }
}
