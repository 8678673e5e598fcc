package dev.bitwright.testsupport;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Checks a compiled module descriptor, from a module's own tests. */
public final class ModuleBoundaries {
  private ModuleBoundaries() {}

  /**
   * Asserts that the module compiled into {@code classesDir} is named {@code moduleName} and
   * exports exactly one package, unqualified: {@code moduleName} itself. Internal packages are
   * therefore hidden.
   *
   * @param classesDir the folder holding {@code module-info.class}, usually {@code target/classes}
   * @param moduleName the expected module name, which is also the public package
   * @throws IOException if the descriptor cannot be read
   */
  public static void assertExportsOnlyItsPublicPackage(Path classesDir, String moduleName)
      throws IOException {
    assertExportsOnlyItsPublicPackage(classesDir, moduleName, Map.of());
  }

  /**
   * Asserts that the module compiled into {@code classesDir} is named {@code moduleName}, exports
   * one package to everyone, {@code moduleName} itself, and otherwise exactly {@code
   * qualifiedExports}: internal packages shared with named sibling modules, which stay hidden from
   * users.
   *
   * @param classesDir the folder holding {@code module-info.class}, usually {@code target/classes}
   * @param moduleName the expected module name, which is also the public package
   * @param qualifiedExports each package exported to some modules only, with those modules
   * @throws IOException if the descriptor cannot be read
   */
  public static void assertExportsOnlyItsPublicPackage(
      Path classesDir, String moduleName, Map<String, Set<String>> qualifiedExports)
      throws IOException {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(classesDir.resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertThat(descriptor.name()).isEqualTo(moduleName);
    assertThat(descriptor.exports())
        .filteredOn(e -> !e.isQualified())
        .singleElement()
        .satisfies(e -> assertThat(e.source()).isEqualTo(moduleName));
    assertThat(
            descriptor.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .collect(
                    toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets)))
        .isEqualTo(qualifiedExports);
  }
}
