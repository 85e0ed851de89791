package dev.jdkms.core.tree;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one build took, kept beside its make.log as {@code M/V/K/A/log/jdkms.stats}: the peak memory
 * of its processes and the time of each phase, read back for the next build's memory estimate (any
 * version of the module) and time estimate (the same version, any kernel). It goes with its build
 * (unbuild, remove). The file is read defensively: bounded in size, unknown or malformed lines
 * ignored, numbers within {@link #MAX_VALUE}; upstream never reads it.
 *
 * @param peakKib the build's peak resident memory in KiB, 0 unknown
 * @param phaseMillis per phase name (configure, make, sign, compress), its duration, in order
 * @param totalMillis the whole build
 * @param modified when it was written (the most recent record wins)
 */
public record BuildRecord(
    long peakKib, Map<String, Long> phaseMillis, long totalMillis, FileTime modified) {
  public static final String FILE = "jdkms.stats";
  private static final int MAX_BYTES = 4096;
  private static final long MAX_VALUE = 1_000_000_000_000L;

  /** How many records are read per module at most (a tree with thousands of builds is odd). */
  static final int MAX_RECORDS = 256;

  public BuildRecord {
    phaseMillis = Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
  }

  /** Writes the record into a built directory {@code M/V/K/A} (aside, then renamed in). */
  public void writeTo(Path builtDir) throws IOException {
    Path log = builtDir.resolve("log");
    Files.createDirectories(log);
    StringBuilder s = new StringBuilder("# jdkms: what this build took (next builds' estimates)\n");
    s.append("peak_rss_kib=").append(peakKib).append('\n');
    phaseMillis.forEach((k, v) -> s.append(k).append("_ms=").append(v).append('\n'));
    s.append("total_ms=").append(totalMillis).append('\n');
    Path tmp = log.resolve("." + FILE + ".tmp");
    Files.writeString(tmp, s, StandardCharsets.UTF_8);
    Files.move(tmp, log.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
  }

  /** The record of one built directory, if it has a readable one. */
  public static Optional<BuildRecord> read(Path builtDir) {
    Path f = builtDir.resolve("log").resolve(FILE);
    byte[] b;
    FileTime modified;
    try (InputStream in = Files.newInputStream(f)) {
      b = in.readNBytes(MAX_BYTES + 1);
      modified = Files.getLastModifiedTime(f);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (b.length > MAX_BYTES) {
      return Optional.empty();
    }
    long peak = 0;
    long total = -1;
    Map<String, Long> phases = new LinkedHashMap<>();
    for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 1 || line.startsWith("#")) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1).trim();
      if (!value.matches("[0-9]{1,13}") || Long.parseLong(value) > MAX_VALUE) {
        continue;
      }
      long v = Long.parseLong(value);
      if (key.equals("peak_rss_kib")) {
        peak = v;
      } else if (key.equals("total_ms")) {
        total = v;
      } else if (key.matches("[a-z]{1,16}_ms") && phases.size() < 16) {
        phases.put(key.substring(0, key.length() - 3), v);
      }
    }
    if (total < 0) {
      return Optional.empty();
    }
    return Optional.of(new BuildRecord(peak, phases, total, modified));
  }

  /** A record found in the tree, with the version it is of. */
  public record Found(String version, BuildRecord record) {}

  /** The records of every build of {@code module} in the tree (at most {@link #MAX_RECORDS}). */
  public static List<Found> ofModule(DkmsTree tree, String module) {
    List<Found> out = new ArrayList<>();
    for (Path version : dirs(tree.moduleDir(module))) {
      if (version.getFileName().toString().equals("build")) {
        continue;
      }
      for (Path kernel : dirs(version)) {
        for (Path arch : dirs(kernel)) {
          if (out.size() >= MAX_RECORDS) {
            return out;
          }
          read(arch).ifPresent(r -> out.add(new Found(version.getFileName().toString(), r)));
        }
      }
    }
    return out;
  }

  /** The highest peak memory (bytes) any build of the module recorded; 0 when none did. */
  public static long peakBytes(List<Found> records) {
    return records.stream().mapToLong(f -> f.record().peakKib()).max().orElse(0) * 1024;
  }

  /**
   * The peak (bytes) of {@code version}'s measured builds when there are any, else of any
   * version's; 0 when none was measured (the drop-in's own builds are not: their records say 0).
   */
  public static long measuredPeakBytes(List<Found> records, String version) {
    List<Found> measured = records.stream().filter(f -> f.record().peakKib() > 0).toList();
    List<Found> same = measured.stream().filter(f -> f.version().equals(version)).toList();
    return peakBytes(same.isEmpty() ? measured : same);
  }

  /** The most recent record of {@code version} (builds for other kernels take about as long). */
  public static Optional<BuildRecord> latestOf(List<Found> records, String version) {
    return records.stream()
        .filter(f -> f.version().equals(version))
        .map(Found::record)
        .max(java.util.Comparator.comparing(BuildRecord::modified));
  }

  private static List<Path> dirs(Path dir) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".") && !Files.isSymbolicLink(p) && Files.isDirectory(p)) {
          out.add(p);
        }
        if (out.size() > MAX_RECORDS) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      return out;
    }
    out.sort(null);
    return out;
  }
}
