package dev.bitwright.testsupport;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"), "dev.bitwright.testsupport");
  }
}
