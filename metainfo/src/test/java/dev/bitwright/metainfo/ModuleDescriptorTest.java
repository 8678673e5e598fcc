package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.ModuleBoundaries;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void exportsOnlyThePublicPackageAndTheCompactCodecToItsUsers() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"),
        "dev.bitwright.metainfo",
        Map.of(
            "dev.bitwright.metainfo.internal.compact",
            Set.of("dev.bitwright.tracker", "dev.bitwright.dht", "dev.bitwright.wire")));
    assertThat(Path.of("target/classes/dev/bitwright/metainfo/internal")).isDirectory();
  }
}
