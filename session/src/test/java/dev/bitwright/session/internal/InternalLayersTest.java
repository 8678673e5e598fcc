package dev.bitwright.session.internal;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's rooms and the one way their dependencies run (see this package's {@code
 * package-info.java}): {@code engine → torrent → {data, discovery, web}}, {@code engine → portmap →
 * net}, {@code data → peer → net}, {@code discovery → net}, {@code web → peer}; every room may
 * record the events of {@code jfr}, which uses none. Checked on the compiled classes, so that a
 * fully qualified name or a lambda cannot slip past an import check.
 */
class InternalLayersTest {
  private static final String ROOT = "dev.bitwright.session.internal.";

  /** What each room may use of the others. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "jfr", Set.of(),
          "telemetry", Set.of(),
          "net", Set.of("jfr", "telemetry"),
          "peer", Set.of("jfr", "telemetry", "net"),
          "data", Set.of("jfr", "telemetry", "net", "peer"),
          "discovery", Set.of("jfr", "telemetry", "net"),
          "portmap", Set.of("jfr", "telemetry", "net"),
          "web", Set.of("jfr", "telemetry", "net", "peer"),
          "torrent", Set.of("jfr", "telemetry", "net", "peer", "data", "discovery", "web"),
          "engine",
              Set.of(
                  "jfr",
                  "telemetry",
                  "net",
                  "peer",
                  "data",
                  "discovery",
                  "portmap",
                  "web",
                  "torrent"));

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.bitwright.session.internal");

  @Test
  void everyClassLivesInARoom() {
    List<String> homeless = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      if (room(c) == null && !c.getSimpleName().equals("package-info")) {
        homeless.add(c.getName());
      }
    }
    assertThat(homeless).isEmpty();
  }

  @Test
  void dependenciesRunOneWay() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      String from = room(c);
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = room(d.getTargetClass());
        if (from != null && to != null && !to.equals(from) && !ALLOWED.get(from).contains(to)) {
          violations.add(d.getDescription());
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void roomsHaveNoCycles() {
    slices().matching(ROOT + "(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void theRoomsAreTheOnesDescribed() {
    assertThat(ALLOWED.keySet())
        .containsExactlyInAnyOrder(
            "jfr",
            "telemetry",
            "net",
            "peer",
            "data",
            "discovery",
            "portmap",
            "web",
            "torrent",
            "engine");
    for (String room : ALLOWED.keySet()) {
      assertThat(CLASSES.stream().anyMatch(c -> room.equals(room(c)))).as(room).isTrue();
    }
  }

  /** Returns the room of a class of the engine, or null for any other class. */
  private static String room(JavaClass c) {
    String name = c.getPackageName();
    if (!name.startsWith(ROOT)) {
      return null;
    }
    String rest = name.substring(ROOT.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
