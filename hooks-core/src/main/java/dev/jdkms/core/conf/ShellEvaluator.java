package dev.jdkms.core.conf;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates dkms.conf and framework.conf files the way upstream's {@code safe_source} does, with
 * one bash process for the whole chain of files: each file is sourced in a subshell with its stdout
 * discarded and its stderr shown, only accepted variables come back (CR-stripped, re-read by the
 * shell exactly as upstream re-sources them), and the next file sees them.
 */
public final class ShellEvaluator {
  /** {@code JDKMS_CONF_FASTPATH=0} sends every dkms.conf to bash (comparisons, benchmarks). */
  public static final String FASTPATH_ENV = "JDKMS_CONF_FASTPATH";

  /**
   * How long sourcing may take. Real files finish in milliseconds; one that waits on something (a
   * background job holding the output, a command that never returns) would hang every dkms run and
   * kernel hook, so it is stopped and reported instead.
   */
  static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);

  private final Console console;
  private final ChildEnvironment environment;
  private final EvaluationCache cache;
  private final java.time.Duration timeout;

  public ShellEvaluator(Console console, ChildEnvironment environment) {
    this(console, environment, null);
  }

  /** With {@code cache} (may be null), a repeated evaluation reuses the first one's result. */
  public ShellEvaluator(Console console, ChildEnvironment environment, EvaluationCache cache) {
    this(console, environment, cache, TIMEOUT);
  }

  ShellEvaluator(
      Console console,
      ChildEnvironment environment,
      EvaluationCache cache,
      java.time.Duration timeout) {
    this.console = console;
    this.environment = environment;
    this.cache = cache;
    this.timeout = timeout;
  }

  /**
   * Sources {@code files} in order, with {@code context} preset as shell variables.
   *
   * @param accepted the variables that come back from each file
   * @param deprecationWarnings print upstream's {@code Deprecated feature:} lines after each file
   * @param unsetFirst clear the accepted variables before the first file (dkms.conf: yes;
   *     framework.conf: no, so values from the environment survive)
   */
  public ShellVariables evaluate(
      List<Path> files,
      Map<String, String> context,
      List<String> accepted,
      boolean deprecationWarnings,
      boolean unsetFirst)
      throws ConfException {
    // DKMS_DIRECTIVE* variables in the environment are applied by upstream's dump: bash only.
    if (unsetFirst
        && !"0".equals(environment.get(FASTPATH_ENV))
        && environment.asMap().keySet().stream().noneMatch(k -> k.startsWith("DKMS_DIRECTIVE"))) {
      java.util.Optional<DeclarativeConf.Evaluated> fast =
          DeclarativeConf.evaluate(files, context, accepted);
      if (fast.isPresent()) {
        if (deprecationWarnings) {
          fast.get().warnings().forEach(console::errln);
        }
        return fast.get().variables();
      }
    }
    // With a cache, one evaluation serves reads with and without deprecation warnings: they are
    // marked, and stderr comes back through a pipe to be selected from.
    Warnings warnings =
        cache != null ? Warnings.MARKED : deprecationWarnings ? Warnings.SHOWN : Warnings.NONE;
    boolean piped = warnings == Warnings.MARKED;
    String script = script(files, context, accepted, warnings, unsetFirst);
    java.util.Optional<String> key =
        cache == null
            ? java.util.Optional.empty()
            : EvaluationCache.key(script, environment, files);
    if (key.isPresent()) {
      java.util.Optional<EvaluationCache.Entry> hit = cache.get(key.get());
      if (hit.isPresent()) {
        String shown = Deprecations.select(hit.get().stderr(), deprecationWarnings);
        if (!shown.isEmpty()) {
          console.printErr(shown);
        }
        return hit.get().variables();
      }
    }
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "jdkms-conf");
    environment.applyTo(pb);
    // A pipe rather than a temporary file: that would cost every dkms process the start of a
    // SecureRandom.
    pb.redirectError(piped ? ProcessBuilder.Redirect.PIPE : console.childErr());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    BashRun.Result run = BashRun.run(pb, piped, timeout, files.toString());
    byte[] output = run.stdout();
    int status = run.status();
    String stderr = run.stderr();
    String shown = Deprecations.select(stderr, deprecationWarnings);
    if (!shown.isEmpty()) {
      console.printErr(shown);
    }
    if (status != 0) {
      throw new ConfException("bash failed (" + status + ") while reading " + files);
    }
    ShellVariables vars = parse(output);
    if (key.isPresent()) {
      cache.put(key.get(), new EvaluationCache.Entry(vars, stderr));
    }
    return vars;
  }

  /** Whether a script prints upstream's deprecation warnings, and how. */
  enum Warnings {
    NONE,
    SHOWN,
    /** Printed behind {@link Deprecations#MARK}, for {@link Deprecations#select}. */
    MARKED
  }

  static String script(
      List<Path> files,
      Map<String, String> context,
      List<String> accepted,
      Warnings warnings,
      boolean unsetFirst) {
    StringBuilder s = new StringBuilder();
    s.append("shopt -s extglob\n");
    for (Map.Entry<String, String> e : context.entrySet()) {
      s.append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
    }
    s.append("__jd_vars=(");
    for (String v : accepted) {
      s.append(v).append(' ');
    }
    s.append(")\n");
    if (unsetFirst) {
      s.append("for __jd_v in \"${__jd_vars[@]}\"; do unset \"$__jd_v\"; done\n");
    }
    s.append("__jd_CR=$'\\r'\n");
    if (warnings != Warnings.NONE) {
      s.append(Deprecations.markerAssignment(warnings == Warnings.MARKED));
    }
    // Upstream prints NAME[i]="value" and sources that; values are re-expanded by the shell.
    // The indices come from an array expansion, not upstream's $(eval echo ...): the same
    // integers without a subshell per variable (a conf with many modules read 6x faster).
    s.append(
        "__jd_dump() {\n"
            + "  local _e _i __jd_k directive directive_name directive_value\n"
            + "  for _e in \"${__jd_vars[@]}\"; do\n"
            + "    eval '__jd_k=(\"${!'\"$_e\"'[@]}\")'\n"
            + "    for _i in \"${__jd_k[@]}\"; do\n"
            + "      eval echo '$_e[$_i]=\\\"${'\"${_e}\"'[$_i]%$__jd_CR}\\\"'\n"
            + "    done\n"
            + "  done\n"
            + "  for directive in $(set | grep ^DKMS_DIRECTIVE | cut -d = -f 2-3); do\n"
            + "    directive_name=${directive%%=*}\n"
            + "    directive_value=${directive#*=}\n"
            + "    echo \"$directive_name=\\\"$directive_value\\\"\"\n"
            + "  done\n"
            + "}\n");
    s.append("__jd_src() {\n")
        .append("  local __jd_out\n")
        .append("  __jd_out=$( . \"$1\" >/dev/null; __jd_dump )\n")
        .append("  eval \"$__jd_out\"\n");
    if (warnings != Warnings.NONE) {
      s.append(Deprecations.bash());
    }
    s.append("  return 0\n}\n");
    for (Path f : files) {
      s.append("__jd_src ").append(quote(f.toString())).append('\n');
    }
    s.append("exec 3>&1 >/dev/null\n");
    s.append("for __jd_v in \"${__jd_vars[@]}\"; do\n")
        .append("  eval '__jd_idx=(\"${!'\"$__jd_v\"'[@]}\")'\n")
        .append("  for __jd_i in \"${__jd_idx[@]}\"; do\n")
        .append("    eval '__jd_val=${'\"$__jd_v\"'[$__jd_i]}'\n")
        .append("    printf '%s\\0%s\\0%s\\0' \"$__jd_v\" \"$__jd_i\" \"$__jd_val\" >&3\n")
        .append("  done\n")
        .append("done\n");
    return s.toString();
  }

  static ShellVariables parse(byte[] output) {
    Map<String, SortedMap<Integer, String>> values = new HashMap<>();
    String text = new String(output, StandardCharsets.UTF_8);
    String[] parts = text.split("\0", -1);
    for (int i = 0; i + 2 < parts.length; i += 3) {
      values.computeIfAbsent(parts[i], k -> new TreeMap<>()).put(index(parts[i + 1]), parts[i + 2]);
    }
    return new ShellVariables(values);
  }

  /**
   * A bash array index (bash allows up to 2^63-1). Ones beyond an int are kept as {@link
   * Integer#MAX_VALUE}: past any record jdkms reads, and refused by {@link DkmsConfInterpreter}.
   */
  private static int index(String digits) {
    try {
      return (int) Math.min(Long.parseLong(digits), Integer.MAX_VALUE);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE; // beyond a long: bash refuses it, but stay safe
    }
  }

  /** Single-quotes a value for bash. */
  public static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Context maps keep insertion order so the generated script is stable. */
  public static Map<String, String> context() {
    return new LinkedHashMap<>();
  }
}
