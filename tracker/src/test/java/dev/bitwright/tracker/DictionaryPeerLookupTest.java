package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionary peers must be IP literals: a tracker's "ip" must never cause a name lookup. A child
 * JVM resolves names from a hosts file ({@code jdk.net.hosts.file}) that maps the test strings to
 * 10.0.0.7, so any lookup shows in the parsed peers, and no DNS server is ever asked.
 */
class DictionaryPeerLookupTest {
  @TempDir Path dir;

  @Test
  void hostNamesAreNotResolved() throws Exception {
    assertThat(peersInChild("peer.example")).isEmpty();
    assertThat(peersInChild("1.2.3.4")).containsExactly("PEER 1.2.3.4:6881");
  }

  @Test
  void outOfRangeDottedQuadsAreNotResolved() throws Exception {
    assertThat(peersInChild("999.1.1.1")).isEmpty();
    assertThat(peersInChild("1.2.3.256")).isEmpty();
  }

  private List<String> peersInChild(String ip) throws IOException, InterruptedException {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "10.0.0.7 peer.example 999.1.1.1 1.2.3.256\n", StandardCharsets.UTF_8);
    Path out = dir.resolve("out.txt");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts,
                "-cp",
                System.getProperty("java.class.path"),
                DictionaryPeerLookup.class.getName(),
                ip)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).as("child output").contains("DONE");
    assertThat(child.exitValue()).isZero();
    return lines.stream().filter(l -> l.startsWith("PEER ")).toList();
  }
}
