package dev.jdkms.core.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Upstream's "Deprecated feature:" lines, printed on stderr after each file it sources for a
 * dkms.conf read that asks for them: the same rule for bash ({@link #bash}) and for the declarative
 * fast path ({@link #lines}).
 *
 * <p>A cached bash evaluation serves reads with and without warnings: its script always prints
 * them, each behind {@link #MARK}, and {@link #select} keeps or drops them for the read at hand (a
 * dkms.conf that sources the kernel's .config costs bash a tenth of a second).
 */
final class Deprecations {
  /** Directives reported whenever set. */
  private static final List<String> WHEN_SET =
      List.of(
          "REMAKE_INITRD",
          "MODULES_CONF",
          "MODULES_CONF_OBSOLETES",
          "MODULES_CONF_ALIAS_TYPE",
          "MODULES_CONF_OBSOLETE_ONLY");

  /** Starts every warning line of a marked script; no dkms.conf prints these bytes. */
  static final String MARK = "\u0001jdkms-deprecated\u0002";

  private Deprecations() {}

  /**
   * The lines of the bash function that has just sourced {@code $1}; each warning starts with
   * {@code ${__jd_dm}} (set by the script: empty, or {@link #MARK}).
   */
  static String bash() {
    StringBuilder s = new StringBuilder();
    s.append("  if (( ${#CLEAN[@]} )); then case \"$CLEAN\" in true|/bin/true|/usr/bin/true) ;;")
        .append(" *) echo \"${__jd_dm}Deprecated feature: CLEAN ($1)\" >&2 ;; esac; fi\n");
    for (String d : WHEN_SET) {
      s.append("  (( ${#")
          .append(d)
          .append("[@]} )) && echo \"${__jd_dm}Deprecated feature: ")
          .append(d)
          .append(" ($1)\" >&2\n");
    }
    s.append("  (( ${#OBSOLETE_BY[@]} )) && echo \"${__jd_dm}Deprecated feature: OBSOLETE_BY ($1):")
        .append(" use BUILD_EXCLUSIVE_KERNEL_MAX instead\" >&2\n");
    return s.toString();
  }

  /** The script's assignment of the marker variable. */
  static String markerAssignment(boolean marked) {
    return marked ? "__jd_dm=$'\\001jdkms-deprecated\\002'\n" : "__jd_dm=\n";
  }

  /** What bash prints after sourcing {@code file}, given the accepted variables as they stand. */
  static List<String> lines(Path file, Map<String, SortedMap<Integer, String>> state) {
    List<String> out = new ArrayList<>();
    SortedMap<Integer, String> clean = state.get("CLEAN");
    if (clean != null && !clean.isEmpty()) {
      String first = clean.getOrDefault(0, "");
      if (!List.of("true", "/bin/true", "/usr/bin/true").contains(first)) {
        out.add("Deprecated feature: CLEAN (" + file + ")");
      }
    }
    for (String d : WHEN_SET) {
      if (state.get(d) != null && !state.get(d).isEmpty()) {
        out.add("Deprecated feature: " + d + " (" + file + ")");
      }
    }
    if (state.get("OBSOLETE_BY") != null && !state.get("OBSOLETE_BY").isEmpty()) {
      out.add(
          "Deprecated feature: OBSOLETE_BY (" + file + "): use BUILD_EXCLUSIVE_KERNEL_MAX instead");
    }
    return out;
  }

  /** A marked evaluation's stderr as one read shows it: with its warnings, or without them. */
  static String select(String stderr, boolean warnings) {
    if (stderr.indexOf(MARK) < 0) {
      return stderr;
    }
    if (warnings) {
      return stderr.replace(MARK, "");
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int m;
    while ((m = stderr.indexOf(MARK, i)) >= 0) {
      out.append(stderr, i, m);
      int nl = stderr.indexOf('\n', m);
      i = nl < 0 ? stderr.length() : nl + 1;
    }
    out.append(stderr, i, stderr.length());
    return out.toString();
  }
}
