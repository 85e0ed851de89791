package dev.jdkms.core.conf;

import dev.jdkms.core.kernel.KernelConfig;
import dev.jdkms.core.kernel.VersionOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dkms.conf as read for one kernel and arch: the accepted variables plus everything upstream's
 * {@code read_conf} derives from them (module records, make command, patches, exclusions).
 */
public final class DkmsConf {
  private final ShellVariables vars;
  private final String kernel;
  private final String arch;
  private final List<ModuleRecord> modules;
  private final String makeCommand;
  private final List<String> patches;
  private final Optional<KernelConfig> kernelConfig;

  DkmsConf(
      ShellVariables vars,
      String kernel,
      String arch,
      List<ModuleRecord> modules,
      String makeCommand,
      List<String> patches,
      Optional<KernelConfig> kernelConfig) {
    this.vars = vars;
    this.kernel = kernel;
    this.arch = arch;
    this.modules = List.copyOf(modules);
    this.makeCommand = makeCommand;
    this.patches = List.copyOf(patches);
    this.kernelConfig = kernelConfig;
  }

  public ShellVariables vars() {
    return vars;
  }

  public String packageName() {
    return vars.get("PACKAGE_NAME");
  }

  public String packageVersion() {
    return vars.get("PACKAGE_VERSION");
  }

  public List<ModuleRecord> modules() {
    return modules;
  }

  /** The make command before dkms injects {@code -jN KERNELRELEASE=K}. */
  public String makeCommand() {
    return makeCommand;
  }

  /** Patches that apply to this kernel, in order. */
  public List<String> patches() {
    return patches;
  }

  public String script(String name) {
    return vars.get(name);
  }

  public boolean autoinstall() {
    return isYes(vars.get("AUTOINSTALL"));
  }

  public boolean buildDependsRebuild() {
    return isYes(vars.get("BUILD_DEPENDS_REBUILD"));
  }

  public boolean noWeakModules() {
    return isYes(vars.get("NO_WEAK_MODULES"));
  }

  public List<String> buildDepends() {
    return new ArrayList<>(vars.array("BUILD_DEPENDS").values());
  }

  public String obsoleteBy() {
    return vars.get("OBSOLETE_BY");
  }

  private static boolean isYes(String v) {
    return v.equalsIgnoreCase("yes");
  }

  /** True when some record may be built here, or when no BUILD_EXCLUSIVE directive exists. */
  public boolean buildExcluded() {
    boolean anyDirective = false;
    int buildable = 0;
    for (ModuleRecord m : modules) {
      anyDirective |= hasExclusiveDirectives(m.index());
      if (isBuildable(m.index())) {
        buildable++;
      }
    }
    return buildable == 0 && anyDirective;
  }

  private boolean hasExclusiveDirectives(int i) {
    for (String d : EXCLUSIVE) {
      if (!vars.get(d).isEmpty() || !vars.get(d, i).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** True when any record carries its own BUILD_EXCLUSIVE_* directive. */
  public boolean hasPerModuleExclusive() {
    for (ModuleRecord m : modules) {
      for (String d : EXCLUSIVE) {
        if (!vars.get(d, m.index()).isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private static final List<String> EXCLUSIVE =
      List.of(
          "BUILD_EXCLUSIVE_KERNEL",
          "BUILD_EXCLUSIVE_KERNEL_MIN",
          "BUILD_EXCLUSIVE_KERNEL_MAX",
          "BUILD_EXCLUSIVE_ARCH",
          "BUILD_EXCLUSIVE_CONFIG");

  /** upstream's {@code check_build_exclusive_for_module}: global, then per-record constraints. */
  public boolean isBuildable(int i) {
    return fits(
            vars.get("BUILD_EXCLUSIVE_KERNEL"),
            vars.get("BUILD_EXCLUSIVE_KERNEL_MAX"),
            vars.get("BUILD_EXCLUSIVE_KERNEL_MIN"),
            vars.get("BUILD_EXCLUSIVE_ARCH"))
        && fits(
            vars.get("BUILD_EXCLUSIVE_KERNEL", i),
            vars.get("BUILD_EXCLUSIVE_KERNEL_MAX", i),
            vars.get("BUILD_EXCLUSIVE_KERNEL_MIN", i),
            vars.get("BUILD_EXCLUSIVE_ARCH", i))
        && configFits(vars.get("BUILD_EXCLUSIVE_CONFIG"))
        && configFits(vars.get("BUILD_EXCLUSIVE_CONFIG", i));
  }

  private boolean fits(String kernelRe, String max, String min, String archRe) {
    if (!kernelRe.isEmpty() && !BashRegex.matches(kernel, kernelRe)) {
      return false;
    }
    if (!min.isEmpty() && VersionOrder.less(kernel, min)) {
      return false;
    }
    if (!max.isEmpty() && VersionOrder.greater(kernel, max)) {
      return false;
    }
    return archRe.isEmpty() || BashRegex.matches(arch, archRe);
  }

  private boolean configFits(String options) {
    if (options.isEmpty() || kernelConfig.isEmpty()) {
      return true;
    }
    KernelConfig c = kernelConfig.get();
    for (String o : options.trim().split("\\s+")) {
      if (o.startsWith("!")) {
        if (c.isEnabled(o.substring(1))) {
          return false;
        }
      } else if (!c.isEnabled(o)) {
        return false;
      }
    }
    return true;
  }
}
