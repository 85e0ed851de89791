package dev.jdkms.core.conf;

import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.kernel.KernelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the variables of a sourced dkms.conf into a {@link DkmsConf} for one kernel, with
 * upstream's {@code read_conf} defaults and its exact {@code dkms.conf:} error lines, in upstream's
 * order.
 */
public final class DkmsConfInterpreter {
  /** Everything besides the variables that upstream's read_conf looks at. */
  public record Context(
      String kernel,
      String arch,
      Distribution distribution,
      String addonModulesDir,
      String defaultMakeCommand,
      boolean kernelBuiltWithClang,
      Optional<KernelConfig> kernelConfig) {}

  /** The result: the conf, and the error lines (empty when valid). */
  public record Result(DkmsConf conf, List<String> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /** Far above any real dkms.conf, low enough that the per-record errors of holes stay readable. */
  static final int MAX_RECORD_INDEX = 9999;

  private DkmsConfInterpreter() {}

  public static Result interpret(ShellVariables in, Context ctx) {
    List<String> errors = new ArrayList<>();
    ShellVariables vars = in;
    if (vars.get("PACKAGE_NAME").isEmpty()) {
      errors.add("dkms.conf: Error! No 'PACKAGE_NAME' directive specified.");
    }
    if (vars.get("PACKAGE_VERSION").isEmpty()) {
      errors.add("dkms.conf: Error! No 'PACKAGE_VERSION' directive specified.");
    }
    int count = recordCount(vars, errors);
    List<ModuleRecord> modules = new ArrayList<>();
    String strip0 = null;
    for (int i = 0; i < count; i++) {
      String builtName = vars.get("BUILT_MODULE_NAME", i);
      String builtLoc = vars.get("BUILT_MODULE_LOCATION", i);
      String destName = vars.get("DEST_MODULE_NAME", i);
      String rawDest = vars.get("DEST_MODULE_LOCATION", i);
      String s = vars.get("STRIP", i);
      String strip;
      if (s.startsWith("n") || s.startsWith("N")) {
        strip = "no";
      } else if (s.startsWith("y") || s.startsWith("Y")) {
        strip = "yes";
      } else if (s.isEmpty()) {
        strip = strip0 == null ? "yes" : strip0;
      } else {
        strip = i == 0 ? "" : null; // an unknown word leaves strip[i] unset, as bash's case does
      }
      if (i == 0) {
        strip0 = strip == null || strip.isEmpty() ? null : strip;
      }
      if (builtName.isEmpty() && count == 1) {
        builtName = vars.get("PACKAGE_NAME");
      }
      if (destName.isEmpty()) {
        destName = builtName;
      }
      if (!builtLoc.isEmpty() && !builtLoc.endsWith("/")) {
        builtLoc = builtLoc + "/";
      }
      if (builtName.isEmpty()) {
        errors.add(
            "dkms.conf: Error! No 'BUILT_MODULE_NAME' directive specified for record #" + i + ".");
      }
      if (builtName.endsWith(".o") || builtName.endsWith(".ko")) {
        errors.add(
            "dkms.conf: Error! 'BUILT_MODULE_NAME' directive ends in '.o' or '.ko' in record #"
                + i
                + ".");
      }
      if (destName.endsWith(".o") || destName.endsWith(".ko")) {
        errors.add(
            "dkms.conf: Error! 'DEST_MODULE_NAME' directive ends in '.o' or '.ko' in record #"
                + i
                + ".");
      }
      String dest = ctx.distribution().destModuleLocation(rawDest, ctx.addonModulesDir());
      if (rawDest.isEmpty()) {
        errors.add(
            "dkms.conf: Error! No 'DEST_MODULE_LOCATION' directive specified for record #"
                + i
                + ".");
      } else if (!rawDest.startsWith("/kernel")
          && !rawDest.startsWith("/updates")
          && !rawDest.startsWith("/extra")) {
        errors.add("dkms.conf: Error! Directive 'DEST_MODULE_LOCATION' does not begin with");
        errors.add("'/kernel', '/updates', or '/extra' in record #" + i + ".");
      }
      // jdkms only: names and locations are path components; refuse ones that leave their tree.
      if (escapes(rawDest)) {
        errors.add(
            "dkms.conf: Error! Directive 'DEST_MODULE_LOCATION' contains a '..' path component"
                + " in record #"
                + i
                + ".");
      }
      if (escapes(builtLoc)) {
        errors.add(
            "dkms.conf: Error! Directive 'BUILT_MODULE_LOCATION' contains a '..' path component"
                + " in record #"
                + i
                + ".");
      }
      if (builtName.contains("/") || destName.contains("/")) {
        errors.add("dkms.conf: Error! Module names must not contain '/' in record #" + i + ".");
      }
      modules.add(
          new ModuleRecord(i, builtName, builtLoc, destName, dest, rawDest, !"no".equals(strip)));
    }
    errors.addAll(lengthMismatches(vars, count));

    // upstream loops up to ${#MAKE[@]} (the number of set elements, not the highest index), so
    // in a sparse array the elements at the highest indexes are never looked at
    String make = vars.get("MAKE_MATCH").isEmpty() ? vars.get("MAKE") : "";
    for (int i = 0; i < vars.count("MAKE"); i++) {
      String m = vars.get("MAKE", i);
      String match = vars.get("MAKE_MATCH", i);
      if (!m.isEmpty() && !match.isEmpty() && BashRegex.matches(ctx.kernel(), match)) {
        make = m;
      }
    }
    if (make.isEmpty()) {
      make = ctx.defaultMakeCommand();
    }
    if (ctx.kernelBuiltWithClang()) {
      make = make + " LLVM=1";
    }

    List<String> patches = new ArrayList<>();
    for (int i = 0; i < vars.count("PATCH"); i++) { // ${#PATCH[@]}, as for MAKE
      String p = vars.get("PATCH", i);
      String match = vars.get("PATCH_MATCH", i);
      if (!p.isEmpty() && (match.isEmpty() || BashRegex.matches(ctx.kernel(), match))) {
        patches.add(p);
      }
    }

    // OBSOLETE_BY used to mean "not above this kernel"; kept unless a MAX is given anywhere.
    String obsoleteBy = vars.get("OBSOLETE_BY");
    if (!obsoleteBy.isEmpty() && vars.get("BUILD_EXCLUSIVE_KERNEL_MAX").isEmpty()) {
      boolean perModuleMax = false;
      for (int i = 0; i < count; i++) {
        perModuleMax |= !vars.get("BUILD_EXCLUSIVE_KERNEL_MAX", i).isEmpty();
      }
      if (!perModuleMax) {
        vars = vars.with("BUILD_EXCLUSIVE_KERNEL_MAX", obsoleteBy);
      }
    }

    for (String yn : List.of("AUTOINSTALL", "BUILD_DEPENDS_REBUILD", "NO_WEAK_MODULES")) {
      String v = vars.get(yn);
      if (!v.isEmpty() && !v.equalsIgnoreCase("yes") && !v.equalsIgnoreCase("no")) {
        errors.add("dkms.conf: Error! Unsupported " + yn + " value '" + v + "'");
      }
    }
    DkmsConf conf =
        new DkmsConf(vars, ctx.kernel(), ctx.arch(), modules, make, patches, ctx.kernelConfig());
    return new Result(conf, errors);
  }

  /**
   * upstream's array length sanity check. The records fill elements 0..count-1 of its internal
   * lowercase arrays, which are also accepted dkms.conf names: an element a conf sets beyond the
   * records makes that array longer than the record count, one error line per such array.
   */
  private static List<String> lengthMismatches(ShellVariables vars, int count) {
    List<String> out = new ArrayList<>();
    for (String a :
        List.of(
            "built_module_name",
            "built_module_location",
            "dest_module_name",
            "dest_module_location")) {
      if (!vars.array(a).tailMap(Math.max(count, 0)).isEmpty()) {
        out.add("dkms.conf: Error! Module name/location array length mismatch.");
      }
    }
    return out;
  }

  /**
   * upstream's {@code num_modules}: 1 + the highest index of the four record arrays; none when an
   * index is beyond {@link #MAX_RECORD_INDEX} (upstream would loop up to it: 10^11 records for
   * {@code BUILT_MODULE_NAME[99999999999]}).
   */
  private static int recordCount(ShellVariables vars, List<String> errors) {
    int max = -1;
    for (String a :
        List.of(
            "BUILT_MODULE_NAME",
            "BUILT_MODULE_LOCATION",
            "DEST_MODULE_NAME",
            "DEST_MODULE_LOCATION")) {
      if (vars.maxIndex(a) > MAX_RECORD_INDEX) {
        errors.add(
            "dkms.conf: Error! Directive '"
                + a
                + "' has an index above "
                + MAX_RECORD_INDEX
                + " (jdkms reads at most "
                + (MAX_RECORD_INDEX + 1)
                + " module records).");
        return 0;
      }
      max = Math.max(max, vars.maxIndex(a));
    }
    return max + 1;
  }

  private static boolean escapes(String path) {
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Extra checks of a strict read (add/build/install): zero modules, duplicate modules. */
  public static List<String> strictMessages(DkmsConf conf) {
    List<String> out = new ArrayList<>();
    if (conf.modules().isEmpty()) {
      out.add("dkms.conf: Warning! Zero modules specified.");
    }
    List<String> seen = new ArrayList<>();
    for (ModuleRecord m : conf.modules()) {
      String key = m.builtLocation() + m.builtName();
      if (seen.contains(key)) {
        out.add(
            "dkms.conf: Error! Duplicate module '"
                + key
                + "' in 'BUILT_MODULE_NAME["
                + m.index()
                + "]'.");
      }
      seen.add(key);
    }
    seen.clear();
    for (ModuleRecord m : conf.modules()) {
      if (seen.contains(m.destName())) {
        out.add(
            "dkms.conf: Error! Duplicate module '"
                + m.destName()
                + "' in 'DEST_MODULE_NAME["
                + m.index()
                + "]'.");
      }
      seen.add(m.destName());
    }
    return out;
  }
}
