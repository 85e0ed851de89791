package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernels the tests build for: those with headers, i.e. with {@code
 * /lib/modules/K/build/include}. Never the running kernel ({@code uname -r}): the test machines run
 * a kernel without headers.
 */
public final class Kernels {
  private static final Path MODULES = Path.of("/lib/modules");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private Kernels() {}

  /** Kernel releases with headers, oldest first (version order, like {@code sort -V}). */
  public static List<String> withHeaders() {
    List<String> found = new ArrayList<>();
    if (Files.isDirectory(MODULES)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(MODULES)) {
        for (Path d : dirs) {
          if (Files.isDirectory(d.resolve("build/include"))) {
            found.add(d.getFileName().toString());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    found.sort(VERSION_ORDER);
    return List.copyOf(found);
  }

  /**
   * The {@code n} newest kernels with headers, oldest first. Fails the test (it does not skip it)
   * when there are fewer: {@code ./run test} installs the headers the suite needs.
   */
  public static List<String> newest(int n) {
    List<String> all = withHeaders();
    if (all.size() < n) {
      throw new AssertionError(
          "these tests need "
              + n
              + " kernels with headers (/lib/modules/K/build/include), found "
              + all
              + "; `./run test` installs the two newest headers packages of the release's default series"
              + " (tests/lib/kernel-series.sh)");
    }
    return List.copyOf(all.subList(all.size() - n, all.size()));
  }

  /** The machine's architecture as dkms names it ({@code uname -m}, e.g. x86_64). */
  public static String arch() {
    return Arch.VALUE;
  }

  private static final class Arch {
    static final String VALUE = unameM();

    private static String unameM() {
      try {
        Process p = new ProcessBuilder("uname", "-m").start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return s;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Compares like {@code sort -V}: runs of digits numerically, everything else as text. */
  public static final Comparator<String> VERSION_ORDER =
      (a, b) -> {
        Matcher ma = NUMBER.matcher(a);
        Matcher mb = NUMBER.matcher(b);
        int ia = 0;
        int ib = 0;
        while (true) {
          boolean fa = ma.find(ia);
          boolean fb = mb.find(ib);
          String ta = a.substring(ia, fa ? ma.start() : a.length());
          String tb = b.substring(ib, fb ? mb.start() : b.length());
          int c = ta.compareTo(tb);
          if (c != 0) {
            return c;
          }
          if (!fa || !fb) {
            return Boolean.compare(fa, fb);
          }
          int n = Long.compare(Long.parseLong(ma.group()), Long.parseLong(mb.group()));
          if (n != 0) {
            return n;
          }
          ia = ma.end();
          ib = mb.end();
        }
      };
}
