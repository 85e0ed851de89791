package dev.jdkms.core.kernel;

import dev.jdkms.core.host.HostPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The distribution class upstream derives from os-release: {@code ubuntu} when ID=ubuntu, else the
 * whole ID_LIKE string when set, else ID. Decisions match on its prefix ({@code rhel*}, {@code
 * debian*}), which is why real RHEL (ID_LIKE=fedora) counts as fedora — kept on purpose.
 *
 * @param ids the words of os-release's ID and ID_LIKE, for decisions jdkms makes itself (upstream
 *     has no such decision to stay compatible with)
 */
public record Distribution(String name, List<String> ids) {
  /** Families whose kernels keep a kABI, so modules are linked into weak-updates across kernels. */
  private static final List<String> WEAK_UPDATES_IDS =
      List.of("rhel", "centos", "almalinux", "rocky", "suse", "sles", "sled", "opensuse");

  public Distribution {
    ids = List.copyOf(ids);
  }

  /** A class name only (tests, callers without os-release): its words count as the ids. */
  public Distribution(String name) {
    this(name, List.of(name.split("\\s+")));
  }

  /** Reads the first existing os-release file; empty when neither exists. */
  public static Optional<Distribution> detect(List<Path> osReleaseFiles) throws IOException {
    for (Path f : osReleaseFiles) {
      if (Files.exists(f)) {
        return Optional.of(fromOsRelease(Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    return Optional.empty();
  }

  /** The standard locations, in upstream's order. */
  public static List<Path> standardFiles() {
    return HostPaths.REAL.osRelease();
  }

  static Distribution fromOsRelease(String text) {
    Map<String, String> vars = parse(text);
    String id = vars.getOrDefault("ID", "");
    List<String> ids = new java.util.ArrayList<>();
    for (String w : (id + " " + vars.getOrDefault("ID_LIKE", "")).strip().split("\\s+")) {
      if (!w.isEmpty()) {
        ids.add(w);
      }
    }
    if (id.equals("ubuntu")) {
      return new Distribution(id, ids);
    }
    if (vars.containsKey("ID_LIKE")) {
      return new Distribution(vars.get("ID_LIKE"), ids);
    }
    return new Distribution(id, ids);
  }

  private static Map<String, String> parse(String text) {
    Map<String, String> vars = new HashMap<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      int eq = line.indexOf('=');
      if (line.startsWith("#") || eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1);
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
      }
      vars.put(line.substring(0, eq), value);
    }
    return vars;
  }

  public boolean is(String... prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether kernels of this system keep a stable kABI across updates, so that a module installed
   * for one kernel is linked into another kernel's {@code weak-updates/} (when the kABI verdict
   * allows): RHEL and its rebuilds (ID or ID_LIKE naming rhel, centos, almalinux or rocky) and
   * SUSE. Never on Fedora, Debian, Arch and the rest, whose kernels are rebuilt, not linked. Unlike
   * upstream's class, real RHEL (ID=rhel, ID_LIKE=fedora) counts.
   */
  public boolean linksWeakUpdates() {
    for (String id : ids) {
      for (String family : WEAK_UPDATES_IDS) {
        if (id.equals(family) || id.startsWith(family + "-") || id.startsWith(family + "_")) {
          return true;
        }
      }
      if (id.startsWith("opensuse") || id.startsWith("sles") || id.startsWith("sle-")) {
        return true;
      }
    }
    return false;
  }

  /** Debian-like systems never ask rpm for the architecture and always prune empty dirs. */
  public boolean usesUnameArch() {
    return is("debian", "ubuntu", "arch", "gentoo");
  }

  /** Where modules really go: the distribution's fixed place, or dkms.conf's own location. */
  public String destModuleLocation(String fromConf, String addonModulesDir) {
    if (addonModulesDir != null && !addonModulesDir.isEmpty()) {
      return "/" + addonModulesDir;
    }
    if (is("fedora", "centos", "rhel")) {
      return "/extra";
    }
    if (is("sles", "suse", "opensuse")) {
      return "/updates";
    }
    if (is("debian", "ubuntu", "arch")) {
      return "/updates/dkms";
    }
    return fromConf;
  }
}
