package dev.jdkms.tests.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the repository hermetic: no test, script, pom or document names a directory that exists
 * only on a developer's machine (a scratch checkout, a home directory). Such a path turns a green
 * run on that machine into a red one everywhere else, or into silently skipped tests. What tests
 * may read: the repository and {@code ../shared} beside it. Runs without root in every {@code mvn
 * verify}.
 */
class HermeticRepositoryTest {
  /**
   * Absolute paths of a developer machine: the directory this workplace keeps checkouts and scratch
   * copies in, home directories, scratch mounts. Written in pieces so that this file does not match
   * itself.
   */
  static final Pattern DEVELOPER_PATH =
      Pattern.compile(
          "(?<![\\w.$}-])/(?:"
              + "wo"
              + "rk|ho"
              + "me|Us"
              + "ers|scr"
              + "atch)/[\\w.-]+(?:/[\\w.-]+)*");

  /** Directories that are build output, caches (tests/.cache: Debian roots) or version control. */
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", "target", "node_modules", ".cache");

  @Test
  void noSourceScriptOrDocumentNamesADeveloperMachinePath() throws IOException {
    List<String> hits = new ArrayList<>();
    for (Path f : textFiles(Repo.root())) {
      hits.addAll(developerPaths(Repo.root().relativize(f).toString(), Files.readAllBytes(f)));
    }
    assertThat(hits)
        .as(
            "these files name a path that exists only on a developer's machine; tests, scripts"
                + " and benchmarks may read only the repository and ../shared (upstream dkms is"
                + " ../shared/compat/upstream/dkms-3.4.3.tar.gz, unpacked at test time), so a"
                + " fresh clone would fail or skip them")
        .isEmpty();
  }

  /** The guard itself: it must catch a scratch checkout path and leave ordinary paths alone. */
  @Test
  void theGuardCatchesScratchAndHomePathsOnly() {
    String scratch = "/wo" + "rk/scr" + "atch/dkms-3.4.3/dkms.in";
    String home = "cp -a /ho" + "me/me/dkms /tmp/dkms";
    assertThat(developerPaths("A.java", ("Path.of(\"" + scratch + "\")").getBytes()))
        .containsExactly("A.java:1: " + scratch);
    assertThat(developerPaths("run", ("x\n" + home).getBytes()))
        .containsExactly("run:2: /ho" + "me/me/dkms");
    String ordinary =
        "/lib/modules/K/build /usr/src /var/lib/dkms /root/.rpmmacros /tmp/x"
            + " `/wo"
            + "rk` ${ROOT}/wo"
            + "rk/x a.b/ho"
            + "me/x";
    assertThat(developerPaths("README.md", ordinary.getBytes())).isEmpty();
  }

  static List<String> developerPaths(String name, byte[] content) {
    List<String> hits = new ArrayList<>();
    String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = DEVELOPER_PATH.matcher(lines[i]);
      while (m.find()) {
        hits.add(name + ":" + (i + 1) + ": " + m.group());
      }
    }
    return hits;
  }

  /** The text files under root, never entering a skipped directory (a cached root has /proc). */
  private static List<Path> textFiles(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.equals(root) || !SKIPPED_DIRS.contains(dir.getFileName().toString())
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            // a worktree's .git is a file naming its main checkout
            boolean gitLink = file.getFileName().toString().equals(".git");
            if (attrs.isRegularFile() && !gitLink && isText(file)) {
              found.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(null);
    return found;
  }

  /** Text: no NUL byte in the first 8 KiB (what git and grep take for binary). */
  private static boolean isText(Path p) {
    try (var in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(8192);
      for (byte b : head) {
        if (b == 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
