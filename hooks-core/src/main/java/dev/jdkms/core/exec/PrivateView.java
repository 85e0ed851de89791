package dev.jdkms.core.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process that finds a private directory at a shared path: it runs in a mount namespace of
 * its own in which {@code physical} is bind-mounted over {@code visible}. dkms.conf files name
 * their build directory ({@code $dkms_tree/M/V/build}) literally, so builds of one module version
 * for several kernels can only run at the same time when each sees its own directory there.
 *
 * <p>The view travels in the child's environment ({@value #PHYSICAL_ENV}, {@value #VISIBLE_ENV}),
 * like the jobserver does, so every way a build starts a child (make, patch, build scripts) applies
 * it without new parameters.
 */
public record PrivateView(Path physical, Path visible) {
  public static final String PHYSICAL_ENV = "JDKMS_PRIVATE_BUILD_DIR";
  public static final String VISIBLE_ENV = "JDKMS_BUILD_DIR";

  // $1 physical, $2 visible, $3 working directory (may be empty); then the command.
  private static final String ENTER =
      "mount --bind \"$1\" \"$2\" || exit 125; if [ -n \"$3\" ]; then cd \"$3\" || exit 125; fi;"
          + " shift 3; exec \"$@\"";

  /** The variables that carry this view into a child's environment. */
  public Map<String, String> environment() {
    Map<String, String> m = new HashMap<>();
    m.put(PHYSICAL_ENV, physical.toString());
    m.put(VISIBLE_ENV, visible.toString());
    return m;
  }

  /** The view an environment carries, if any. */
  public static Optional<PrivateView> of(ChildEnvironment env) {
    String p = env.get(PHYSICAL_ENV);
    String v = env.get(VISIBLE_ENV);
    if (p == null || v == null || p.isEmpty() || v.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PrivateView(Path.of(p), Path.of(v)));
  }

  /** A path as the child sees it: under {@code physical} it moves under {@code visible}. */
  public Path toVisible(Path p) {
    return p.startsWith(physical) ? visible.resolve(physical.relativize(p)) : p;
  }

  /** A path the child names, as this process finds it. */
  public Path toPhysical(Path p) {
    return p.startsWith(visible) ? physical.resolve(visible.relativize(p)) : p;
  }

  /**
   * The command line that runs {@code argv} inside the view, in {@code cwd} as the child sees it
   * (null: wherever the process starts).
   */
  public List<String> wrap(List<String> argv, Path cwd) {
    List<String> out = new ArrayList<>();
    out.add(unshare());
    out.add("--mount");
    out.add("--propagation");
    out.add("private");
    out.add("--");
    out.add("/bin/sh");
    out.add("-c");
    out.add(ENTER);
    out.add("jdkms-build-view");
    out.add(physical.toString());
    out.add(visible.toString());
    out.add(cwd == null ? "" : toVisible(cwd).toString());
    out.addAll(argv);
    return out;
  }

  /** Where a wrapped child must be started: any existing directory will do. */
  public File startDirectory() {
    return physical.toFile();
  }

  private static String unshare() {
    for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(d, "unshare"))) {
        return d + "/unshare";
      }
    }
    return "unshare";
  }

  /**
   * Whether this process may create such views (root, unshare(1), mounts allowed): tried once with
   * a real bind mount of a scratch directory onto itself.
   */
  public static boolean available(Path scratch) {
    try {
      Path probe = Files.createTempDirectory(scratch, "view-probe-");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(new PrivateView(probe, probe).wrap(List.of("/bin/true"), null));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return false;
        }
        return p.exitValue() == 0;
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
