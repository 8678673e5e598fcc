package dev.bitwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} snippet of the README compiles against the current API: each becomes the body
 * of a method of a class whose fields are the names the snippets take as given (a session, a
 * logger, an install folder...), so that a renamed or removed method fails the build, not a reader.
 */
class ReadmeSnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  private static final String PRELUDE =
      """
      import com.google.common.base.Ticker;
      import dev.bitwright.bencode.*;
      import dev.bitwright.dht.*;
      import dev.bitwright.metainfo.*;
      import dev.bitwright.session.*;
      import dev.bitwright.simulation.*;
      import dev.bitwright.storage.*;
      import dev.bitwright.testing.*;
      import dev.bitwright.wire.*;
      import java.io.*;
      import java.net.*;
      import java.nio.ByteBuffer;
      import java.nio.channels.WritableByteChannel;
      import java.nio.file.*;
      import java.time.*;
      import java.util.*;
      import java.util.concurrent.Executor;
      import jdk.jfr.Configuration;
      import jdk.jfr.Recording;
      import org.slf4j.Logger;

      class %s {
        interface Player { void play(InputStream in); }
        interface ProgressBar { void set(long done, long total); }
        Logger log;
        TorrentSession session;
        TorrentHandle handle;
        Torrent torrent;
        Path installFolder;
        Path downloads;
        Path resumeFile;
        Player player;
        ProgressBar progressBar;
        List<InetSocketAddress> routers;
        List<InetSocketAddress> found;
        Ticker ticker;
        Clock clock;
        byte[] infoHash;
        byte[] bytes;
        Executor diskExecutor;
        int piece;
        int offset;
        int length;
        ByteBuffer block;
        ByteBuffer wholePiece;
        WritableByteChannel socketChannel;
        InetSocketAddress seedAddress;

        void snippet() throws Exception {
      %s
        }
      }
      """;

  @TempDir Path out;

  @Test
  void everyJavaSnippetOfTheReadmeCompiles() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    List<JavaFileObject> sources = new ArrayList<>();
    Matcher m = SNIPPET.matcher(readme);
    while (m.find()) {
      String name = "ReadmeSnippet" + (sources.size() + 1);
      String code = String.format(Locale.ROOT, PRELUDE, name, m.group(1));
      sources.add(
          new SimpleJavaFileObject(
              URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return code;
            }
          });
    }
    assertThat(sources).as("the README's java snippets").hasSizeGreaterThan(5);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      boolean compiled =
          javac
              .getTask(
                  output,
                  files,
                  diagnostics,
                  List.of("-classpath", classPath, "-d", out.toString(), "-proc:none"),
                  null,
                  sources)
              .call();
      assertThat(compiled)
          .as(
              "README snippets compile:%n%s%s",
              output,
              diagnostics.getDiagnostics().stream()
                  .map(
                      d ->
                          d.getSource().getName()
                              + ":"
                              + d.getLineNumber()
                              + ": "
                              + d.getMessage(Locale.ROOT))
                  .reduce("", (a, b) -> a + b + "\n"))
          .isTrue();
    }
  }
}
