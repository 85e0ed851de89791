package dev.jdkms.core.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How much memory this process's builds may still use: the least of {@code MemAvailable} and the
 * headroom of every cgroup above this process that has a memory limit (v2 {@code memory.max}, v1
 * {@code memory.limit_in_bytes}), read once through {@link HostPaths}. A cgroup's usage counts its
 * page cache, which the kernel reclaims before it would kill anything, so its inactive file pages
 * count as free (as MemAvailable counts them). Files that are missing, too big or garbage are left
 * out; with nothing readable the memory is {@link #unknown}.
 */
public record HostMemory(long availableBytes, String source) {
  private static final int MAX_READ = 64 * 1024;

  /** A v1 limit this high means "no limit" (the kernel reports a page-rounded LONG_MAX). */
  private static final long V1_UNLIMITED = 1L << 60;

  /** Nothing known: no limit. */
  public static HostMemory unknown() {
    return new HostMemory(Long.MAX_VALUE, "unknown");
  }

  public boolean known() {
    return availableBytes != Long.MAX_VALUE;
  }

  /** Reads the host's memory as {@code paths} shows it. */
  public static HostMemory read(HostPaths paths) {
    HostMemory best = unknown();
    OptionalLong avail = meminfoAvailable(paths.meminfo());
    if (avail.isPresent()) {
      best = new HostMemory(avail.getAsLong(), "MemAvailable");
    }
    for (Path group : cgroupDirs(paths)) {
      Optional<Long> headroom = headroom(group);
      if (headroom.isPresent() && headroom.get() < best.availableBytes()) {
        best = new HostMemory(headroom.get(), "cgroup " + group);
      }
    }
    return best;
  }

  /** {@code MemAvailable} in bytes. */
  static OptionalLong meminfoAvailable(Path meminfo) {
    for (String line : lines(meminfo)) {
      if (line.startsWith("MemAvailable:")) {
        String[] w = line.substring(13).trim().split("\\s+");
        OptionalLong kib = number(w[0]);
        if (kib.isPresent() && kib.getAsLong() < Long.MAX_VALUE / 1024) {
          return OptionalLong.of(kib.getAsLong() * 1024);
        }
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The memory cgroups of this process and their ancestors (each may limit it): the v2 group
   * ({@code 0::/path}) and the v1 memory controller's ({@code N:...memory...:/path}).
   */
  static List<Path> cgroupDirs(HostPaths paths) {
    List<Path> out = new ArrayList<>();
    for (String line : lines(paths.selfCgroup())) {
      String[] f = line.split(":", 3);
      if (f.length != 3 || !f[2].startsWith("/") || f[2].contains("/../")) {
        continue;
      }
      Path base;
      if (f[0].equals("0") && f[1].isEmpty()) {
        base = paths.cgroupFs();
        // hybrid hierarchies mount v2 at unified/
        if (!Files.exists(base.resolve("cgroup.controllers"))
            && Files.isDirectory(base.resolve("unified"))) {
          base = base.resolve("unified");
        }
      } else if (List.of(f[1].split(",")).contains("memory")) {
        base = paths.cgroupFs().resolve("memory");
      } else {
        continue;
      }
      for (Path d = base.resolve(f[2].substring(1)).normalize();
          d.startsWith(base);
          d = d.getParent()) {
        out.add(d);
        if (d.equals(base)) {
          break;
        }
      }
    }
    return out;
  }

  /** A cgroup's limit minus what it uses (less reclaimable cache); empty when it has no limit. */
  static Optional<Long> headroom(Path group) {
    boolean v2 = Files.exists(group.resolve("memory.max"));
    OptionalLong limit = number(first(group.resolve(v2 ? "memory.max" : "memory.limit_in_bytes")));
    OptionalLong usage =
        number(first(group.resolve(v2 ? "memory.current" : "memory.usage_in_bytes")));
    if (limit.isEmpty() || usage.isEmpty() || limit.getAsLong() >= V1_UNLIMITED) {
      return Optional.empty();
    }
    long inactive = 0;
    String key = v2 ? "inactive_file " : "total_inactive_file ";
    for (String line : lines(group.resolve("memory.stat"))) {
      if (line.startsWith(key)) {
        inactive = number(line.substring(key.length())).orElse(0);
      }
    }
    long used = Math.max(0, usage.getAsLong() - Math.min(inactive, usage.getAsLong()));
    return Optional.of(Math.max(0, limit.getAsLong() - used));
  }

  private static String first(Path p) {
    List<String> l = lines(p);
    return l.isEmpty() ? "" : l.get(0);
  }

  private static OptionalLong number(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 19 || !t.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(t));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The lines of a small file; none when it is missing, unreadable or too big to be real. */
  private static List<String> lines(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(MAX_READ + 1);
      if (b.length > MAX_READ) {
        return List.of();
      }
      return new String(b, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
