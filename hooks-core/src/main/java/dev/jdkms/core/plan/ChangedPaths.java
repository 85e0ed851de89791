package dev.jdkms.core.plan;

import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.session.DkmsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a package manager says it installed or removed (rpm file triggers, alpm hooks with
 * NeedsTargets), turned into {@link Event}s. Paths come with or without a leading {@code /};
 * directories and unrelated files are ignored, so a host can pass its whole list.
 *
 * <ul>
 *   <li>{@code [usr/]lib/modules/K/vmlinuz}: kernel K added (with that image) or removed;
 *   <li>{@code [usr/]lib/modules/K/modules.order}: kernel K added or removed;
 *   <li>{@code [usr/]lib/modules/K/build/include} or {@code build/Makefile}: headers of K added;
 *   <li>{@code usr/src/DIR/dkms.conf}: a module source added or removed; DIR is split into name and
 *       version by {@link SourceNames}, never by guessing at a hyphen.
 * </ul>
 *
 * A kernel or module seen both removed and installed was reinstalled in place; the {@link Planner}
 * treats that as an upgrade (rebuild).
 */
public final class ChangedPaths {
  private ChangedPaths() {}

  /** Tells a source directory's module name and version, or empty when it cannot. */
  @FunctionalInterface
  public interface SourceNames {
    Optional<ModuleVersion> of(String sourceDirName) throws DkmsException;
  }

  /** The events, and what could not be understood (shown to the user). */
  public record Translation(List<Event> events, List<String> notes) {}

  private static final Pattern KERNEL =
      Pattern.compile(
          "(?:usr/)?lib/modules/([^/]+)/(vmlinuz|modules\\.order|build/include|build/Makefile)");
  private static final Pattern SOURCE = Pattern.compile("usr/src/([^/]+)/dkms\\.conf");

  /** What one kernel release's paths said. */
  private static final class KernelChange {
    boolean installed;
    boolean headersOnly = true;
    boolean removed;
    Optional<Path> image = Optional.empty();
  }

  public static Translation translate(
      List<String> installed, List<String> removed, SourceNames names) throws DkmsException {
    Map<String, KernelChange> kernels = new LinkedHashMap<>();
    Set<String> addedDirs = new LinkedHashSet<>();
    Set<String> removedDirs = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    scan(removed, false, kernels, removedDirs);
    scan(installed, true, kernels, addedDirs);

    List<Event> events = new ArrayList<>();
    for (Map.Entry<String, KernelChange> e : kernels.entrySet()) {
      String k = e.getKey();
      KernelChange c = e.getValue();
      if (c.removed) {
        events.add(new Event.KernelRemoved(k));
      }
      if (c.installed) {
        events.add(c.headersOnly ? new Event.HeadersAdded(k) : new Event.KernelAdded(k, c.image));
      }
    }
    for (String dir : removedDirs) {
      Optional<ModuleVersion> mv = names.of(dir);
      if (mv.isPresent()) {
        events.add(new Event.ModuleRemoved(mv.get().module(), mv.get().version()));
      } else {
        notes.add("/usr/src/" + dir + ": not a registered module source, nothing to remove");
      }
    }
    for (String dir : addedDirs) {
      Optional<ModuleVersion> mv = names.of(dir);
      if (mv.isPresent()) {
        events.add(new Event.ModuleAdded(mv.get().module(), mv.get().version()));
      } else {
        notes.add(
            "/usr/src/"
                + dir
                + ": its dkms.conf does not name this directory (PACKAGE_NAME-PACKAGE_VERSION),"
                + " not added");
      }
    }
    return new Translation(events, notes);
  }

  private static void scan(
      List<String> paths, boolean installed, Map<String, KernelChange> kernels, Set<String> dirs) {
    for (String raw : paths) {
      String p = normalise(raw);
      if (p == null) {
        continue;
      }
      Matcher k = KERNEL.matcher(p);
      if (k.matches()) {
        String what = k.group(2);
        boolean headers = what.startsWith("build/");
        if (headers && !installed) {
          continue; // headers going away alone change nothing; the kernel's own removal does
        }
        KernelChange c = kernels.computeIfAbsent(k.group(1), x -> new KernelChange());
        if (installed) {
          c.installed = true;
          c.headersOnly &= headers;
          if (what.equals("vmlinuz")) {
            c.image = Optional.of(Path.of("/" + p));
          }
        } else {
          c.removed = true;
        }
        continue;
      }
      Matcher s = SOURCE.matcher(p);
      if (s.matches()) {
        dirs.add(s.group(1));
      }
    }
  }

  /** Without leading and trailing slashes; null for an empty or hostile ({@code ..}) path. */
  static String normalise(String raw) {
    String p = raw.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return null;
    }
    for (String part : p.split("/+")) {
      if (part.equals("..") || part.equals(".")) {
        return null;
      }
    }
    return p.replaceAll("/+", "/");
  }
}
