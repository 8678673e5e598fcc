package dev.bitwright.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public API of a compiled module as text, one line per type and member, checked against a
 * committed file (in the manner of OkHttp's {@code .api} files): a change to the public API fails
 * the module's tests until the file is updated, so that every such change is a reviewed diff.
 *
 * <p>The API is every public or protected type, constructor, method and field of the packages the
 * module exports to everyone, with generic signatures, thrown exceptions, the values of constants,
 * and each type's supertypes. Run the tests with {@code -Dbitwright.api.update=true} to write the
 * files afresh.
 */
public final class ApiSignatures {
  /** The system property that, set to {@code true}, rewrites the committed files. */
  public static final String UPDATE_PROPERTY = "bitwright.api.update";

  private ApiSignatures() {}

  /**
   * Asserts that the public API of the module compiled into {@code classesDir} is what {@code
   * apiFile} says, or rewrites {@code apiFile} when {@value #UPDATE_PROPERTY} is {@code true}.
   *
   * @param classesDir the folder holding {@code module-info.class}, usually {@code target/classes};
   *     its classes must be on the test's class path
   * @param apiFile the committed signature file, such as {@code api/bitwright-bencode.api}
   * @throws IOException if the classes or the file cannot be read, or the file written
   */
  public static void assertMatchesCommitted(Path classesDir, Path apiFile) throws IOException {
    List<String> actual = of(classesDir);
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(apiFile.toAbsolutePath().getParent());
      Files.write(apiFile, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(apiFile)
        .as("no API file: run the tests with -D%s=true to write it", UPDATE_PROPERTY)
        .exists();
    List<String> committed = Files.readAllLines(apiFile, StandardCharsets.UTF_8);
    Set<String> added = new LinkedHashSet<>(actual);
    committed.forEach(added::remove);
    Set<String> removed = new LinkedHashSet<>(committed);
    actual.forEach(removed::remove);
    assertThat(actual)
        .as(
            "the public API changed; if on purpose, run the tests with -D%s=true and commit %s."
                + "%n  added:%n    %s%n  removed:%n    %s",
            UPDATE_PROPERTY, apiFile, String.join("\n    ", added), String.join("\n    ", removed))
        .isEqualTo(committed);
  }

  /**
   * Returns the public API of the module compiled into {@code classesDir}: per type, sorted by
   * name, a line for the type and an indented line per member, sorted.
   *
   * @param classesDir the folder holding {@code module-info.class}; its classes must be loadable by
   *     this class's loader
   * @return the lines
   * @throws IOException if the classes cannot be read
   */
  public static List<String> of(Path classesDir) throws IOException {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(classesDir.resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    TreeMap<String, List<String>> types = new TreeMap<>();
    for (ModuleDescriptor.Exports export : descriptor.exports()) {
      if (export.isQualified()) {
        continue;
      }
      types.put(export.source(), List.of(packageLine(export.source())));
      Path dir = classesDir.resolve(export.source().replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
          String simple = file.getFileName().toString().replace(".class", "");
          if (simple.equals("package-info")) {
            continue;
          }
          Class<?> type = load(export.source() + "." + simple);
          if (visible(type)) {
            types.put(type.getName(), describe(type));
          }
        }
      }
    }
    List<String> lines = new ArrayList<>();
    types.values().forEach(lines::addAll);
    return lines;
  }

  /** Returns the package's line: its name and its annotations, such as JSpecify's NullMarked. */
  private static String packageLine(String name) {
    StringBuilder line = new StringBuilder("package ").append(name);
    try {
      Class<?> info =
          Class.forName(name + ".package-info", false, ApiSignatures.class.getClassLoader());
      for (Annotation a : info.getDeclaredAnnotations()) {
        line.append(" @").append(a.annotationType().getName());
      }
    } catch (ClassNotFoundException e) {
      // A package without package-info has no annotations.
    }
    return line.toString();
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSignatures.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("not on the class path: " + name, e);
    }
  }

  /** Returns whether users can name {@code type}: it and every class around it are accessible. */
  private static boolean visible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (c.isAnonymousClass()
          || c.isLocalClass()
          || c.isSynthetic()
          || !(Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> describe(Class<?> type) {
    StringBuilder header = new StringBuilder(type.toGenericString());
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
      header.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      header.append(type.isInterface() ? " extends " : " implements ");
      for (int i = 0; i < interfaces.length; i++) {
        header.append(i == 0 ? "" : ", ").append(interfaces[i].getTypeName());
      }
    }
    Set<String> members = new TreeSet<>();
    boolean extendable = !Modifier.isFinal(type.getModifiers()) && !type.isEnum();
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (exposed(c, extendable)) {
        members.add(
            withoutOwner(c.toGenericString(), type)
                + nullness(c.getAnnotatedParameterTypes(), null));
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (exposed(m, extendable) && !m.isBridge()) {
        members.add(
            withoutOwner(m.toGenericString(), type)
                + nullness(m.getAnnotatedParameterTypes(), m.getAnnotatedReturnType()));
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (exposed(f, extendable)) {
        members.add(
            withoutOwner(f.toGenericString(), type)
                + constant(f)
                + (nullable(f.getAnnotatedType()) ? " nullable" : ""));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(header.toString());
    members.forEach(m -> lines.add("  " + m));
    return lines;
  }

  /** Returns a member's signature without its type's name in front of its own (said above it). */
  private static String withoutOwner(String signature, Class<?> owner) {
    return signature
        .replace(" " + owner.getTypeName() + ".", " ")
        .replace(" " + owner.getTypeName() + "(", " <init>(");
  }

  private static boolean exposed(Member member, boolean extendable) {
    int modifiers = member.getModifiers();
    return !member.isSynthetic()
        && (Modifier.isPublic(modifiers) || (extendable && Modifier.isProtected(modifiers)));
  }

  /**
   * Returns which of a member's types are {@code @Nullable} (JSpecify's or another of that name),
   * as {@code " nullable: return, #2"} (parameters from 1), or "" when none is.
   */
  private static String nullness(AnnotatedType[] parameters, AnnotatedType returned) {
    List<String> nullable = new ArrayList<>();
    if (returned != null && nullable(returned)) {
      nullable.add("return");
    }
    for (int i = 0; i < parameters.length; i++) {
      if (nullable(parameters[i])) {
        nullable.add("#" + (i + 1));
      }
    }
    return nullable.isEmpty() ? "" : " nullable: " + String.join(", ", nullable);
  }

  private static boolean nullable(AnnotatedType type) {
    for (Annotation a : type.getDeclaredAnnotations()) {
      if (a.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  /** Returns {@code " = value"} for a constant compilers copy into their callers, else "". */
  private static String constant(Field f) {
    int modifiers = f.getModifiers();
    boolean inlined =
        Modifier.isStatic(modifiers)
            && Modifier.isFinal(modifiers)
            && (f.getType().isPrimitive() || f.getType() == String.class);
    if (!inlined) {
      return "";
    }
    try {
      return " = " + f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
