package dev.bitwright.simulation;

import dev.bitwright.testsupport.ApiSignatures;
import dev.bitwright.testsupport.ModuleBoundaries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The public API is what `api/bitwright-simulation.api` says: a change to it is a reviewed diff.
 */
class PublicApiTest {
  @Test
  void theApiIsTheCommittedOne() throws Exception {
    ApiSignatures.assertMatchesCommitted(
        Path.of("target/classes"), Path.of("api/bitwright-simulation.api"));
  }

  @Test
  void exportsOnlyThePublicPackage() throws Exception {
    ModuleBoundaries.assertExportsOnlyItsPublicPackage(
        Path.of("target/classes"), "dev.bitwright.simulation");
  }
}
