package dev.bitwright.storage;

import dev.bitwright.testsupport.ApiSignatures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public API is what `api/bitwright-storage.api` says: a change to it is a reviewed diff. */
class PublicApiTest {
  @Test
  void theApiIsTheCommittedOne() throws Exception {
    ApiSignatures.assertMatchesCommitted(
        Path.of("target/classes"), Path.of("api/bitwright-storage.api"));
  }
}
