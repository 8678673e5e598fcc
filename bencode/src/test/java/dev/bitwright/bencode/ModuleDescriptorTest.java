package dev.bitwright.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.ModuleBoundaries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"), "dev.bitwright.bencode");
    assertThat(Path.of("target/classes/dev/bitwright/bencode/internal")).isDirectory();
    assertThat(Files.exists(Path.of("target/classes/dev/bitwright/bencode/BencodeDecoder.class")))
        .isTrue();
  }
}
