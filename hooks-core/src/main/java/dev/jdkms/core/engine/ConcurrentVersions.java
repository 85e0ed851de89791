package dev.jdkms.core.engine;

import dev.jdkms.core.plan.Plan.KernelJob;
import dev.jdkms.core.plan.Plan.Unit;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The module versions of a plan worth building for several kernels at once, each build in a private
 * area: those built for more than one kernel whose dkms.conf does not name a place outside the
 * build directory where two builds could meet (a fixed file under /tmp, the source tree). {@code
 * JDKMS_PRIVATE_BUILDS=no} in the environment turns it off.
 */
final class ConcurrentVersions {
  static final String SWITCH_ENV = "JDKMS_PRIVATE_BUILDS";
  private static final Pattern SHARED_PLACE =
      Pattern.compile("/tmp\\b|source_tree|/usr/src/|/source\\b|\\bsource_dir\\b");

  /**
   * The kernel's own tree ({@code ${kernel_source_dir/%build/source}}, as zfs's configure names it)
   * is one per kernel and only read: not a place where two builds meet.
   */
  private static final Pattern KERNEL_TREE =
      Pattern.compile("\\$\\{kernel_source_dir[^}]*}|\\$kernel_source_dir\\b");

  private ConcurrentVersions() {}

  static Set<String> of(Session main, List<KernelJob> jobs) {
    Set<String> out = new TreeSet<>();
    if ("no".equals(main.environment().get(SWITCH_ENV))) {
      return out;
    }
    Map<String, Integer> builds = new HashMap<>();
    for (KernelJob j : jobs) {
      for (Unit u : j.units()) {
        if (!u.built() && !u.excluded()) {
          builds.merge(u.module() + "/" + u.version(), 1, Integer::sum);
        }
      }
    }
    builds.forEach(
        (mv, n) -> {
          if (n > 1) {
            String[] p = mv.split("/", 2);
            if (buildsInPlace(main.tree().sourceConf(p[0], p[1]))) {
              out.add(mv);
            }
          }
        });
    return out;
  }

  private static boolean buildsInPlace(Path conf) {
    try {
      return buildsInPlace(Files.readString(conf, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a dkms.conf's text names no place outside the build directory two builds share. */
  static boolean buildsInPlace(String conf) {
    return !SHARED_PLACE.matcher(KERNEL_TREE.matcher(conf).replaceAll("")).find();
  }
}
