package dev.jdkms.core.session;

import dev.jdkms.core.conf.ConfException;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.DkmsConfInterpreter;
import dev.jdkms.core.conf.ShellVariables;
import dev.jdkms.core.kernel.KernelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * upstream's {@code read_conf} / {@code read_conf_strict} for one module: which files are sourced
 * (dkms.conf, then the /etc/dkms overrides by specificity), the one-entry cache upstream keeps, the
 * printed messages and the exit statuses of the {@code _or_die} variants.
 */
public final class ConfReader {
  /** Every variable upstream accepts from dkms.conf (3.4.3's list). */
  public static final List<String> ACCEPTED =
      List.of(
          "PACKAGE_NAME",
          "PACKAGE_VERSION",
          "POST_ADD",
          "POST_BUILD",
          "POST_INSTALL",
          "POST_REMOVE",
          "PRE_BUILD",
          "PRE_INSTALL",
          "BUILD_DEPENDS",
          "BUILD_EXCLUSIVE_ARCH",
          "BUILD_EXCLUSIVE_CONFIG",
          "BUILD_EXCLUSIVE_KERNEL",
          "BUILD_EXCLUSIVE_KERNEL_MIN",
          "BUILD_EXCLUSIVE_KERNEL_MAX",
          "build_exclude",
          "MAKE",
          "MAKE_MATCH",
          "PATCH",
          "PATCH_MATCH",
          "patch_array",
          "BUILT_MODULE_NAME",
          "built_module_name",
          "BUILT_MODULE_LOCATION",
          "built_module_location",
          "DEST_MODULE_NAME",
          "dest_module_name",
          "DEST_MODULE_LOCATION",
          "dest_module_location",
          "STRIP",
          "strip",
          "AUTOINSTALL",
          "NO_WEAK_MODULES",
          "BUILD_DEPENDS_REBUILD",
          "OBSOLETE_BY",
          "CLEAN",
          "REMAKE_INITRD",
          "MODULES_CONF",
          "MODULES_CONF_OBSOLETES",
          "MODULES_CONF_ALIAS_TYPE",
          "MODULES_CONF_OBSOLETE_ONLY");

  private final Session session;
  private final Path etcDkms;

  /** Reads the per-module overrides from the session's host ({@code /etc/dkms}). */
  public ConfReader(Session session) {
    this.session = session;
    this.etcDkms = session.host().etcDkms();
  }

  /** {@code read_conf_or_die}. */
  public DkmsConf read(String module, String version, String kernel, String arch, Path confFile)
      throws DkmsException {
    return read(module, version, kernel, arch, confFile, false);
  }

  /** {@code read_conf_strict_or_die}. */
  public DkmsConf readStrict(
      String module, String version, String kernel, String arch, Path confFile)
      throws DkmsException {
    return read(module, version, kernel, arch, confFile, true);
  }

  /**
   * The conf upstream reads when no path is given: {@code -c FILE}, else the tree's source link.
   */
  public Path defaultConf(String module, String version) {
    String c = session.request().conf;
    return c.isEmpty()
        ? session.tree().sourceLink(module, version).resolve("dkms.conf")
        : Path.of(c);
  }

  private DkmsConf read(
      String module, String version, String kernel, String arch, Path explicit, boolean strict)
      throws DkmsException {
    Path file = explicit != null ? explicit : defaultConf(module, version);
    String shownPath = explicit != null ? explicit.toString() : session.request().conf;
    Optional<DkmsConf> conf = readConf(module, version, kernel, arch, file, strict);
    if (conf.isEmpty()) {
      throw badConf(shownPath);
    }
    if (strict) {
      List<String> msgs = DkmsConfInterpreter.strictMessages(conf.get());
      boolean failed = false;
      for (String m : msgs) {
        session.console().errln(m);
        failed |= m.contains("Error!");
      }
      if (failed) {
        throw badConf(shownPath);
      }
    }
    return conf.get();
  }

  private static DkmsException badConf(String path) {
    return DkmsException.die(
        ExitCode.BAD_CONF,
        "Bad conf file.",
        "File: " + path + " does not represent a valid dkms.conf file.");
  }

  /** {@code read_conf}: empty when invalid (its messages are printed). */
  public Optional<DkmsConf> readConf(
      String module, String version, String kernel, String arch, Path file, boolean strict)
      throws DkmsException {
    if (!Files.isReadable(file)) {
      throw DkmsException.die(
          ExitCode.CONF_MISSING,
          "Could not locate dkms.conf file.",
          "File: " + file + " does not exist.");
    }
    String key = module + "/" + version + "/" + kernel + "/" + arch + "|" + realPath(file);
    Session.MutableState st = session.state();
    if (key.equals(st.lastConfKey) && st.lastConf != null) {
      return Optional.of(st.lastConf);
    }
    List<Path> files = new ArrayList<>();
    files.add(file);
    Path etc = etcDkms;
    for (String n :
        List.of(
            module + ".conf",
            module + "-" + version + ".conf",
            module + "-" + version + "-" + kernel + ".conf",
            module + "-" + version + "-" + kernel + "-" + arch + ".conf",
            module + "--" + kernel + ".conf",
            module + "--" + kernel + "-" + arch + ".conf")) {
      Path p = etc.resolve(n);
      if (Files.exists(p)) {
        files.add(p);
      }
    }
    Path ksd = session.kernelSourceDir(kernel);
    Path kconfig = session.kernelConfig(kernel);
    Map<String, String> ctx = context(module, version, kernel, arch, ksd, kconfig);
    ShellVariables vars;
    try {
      vars = session.evaluator().evaluate(files, ctx, ACCEPTED, strict, true);
    } catch (ConfException e) {
      throw DkmsException.die(ExitCode.BAD_CONF, e.getMessage());
    }
    for (String d : session.request().directives) {
      int eq = d.indexOf('=');
      String name = eq < 0 ? d : d.substring(0, eq);
      // ${d#*=} leaves a word without '=' whole, so upstream's value is the name itself.
      String value = eq < 0 ? d : d.substring(eq + 1);
      vars = vars.with(name, value);
      // upstream applies a directive with export: every later child process (make, scripts)
      // has it in its environment
      session.setEnvironment(session.environment().with(Map.of(name, value)));
      session.console().println("DIRECTIVE: " + name + "=\"" + value + "\"");
    }
    Optional<KernelConfig> kc;
    try {
      kc = KernelConfig.read(kconfig);
    } catch (IOException e) {
      kc = Optional.empty();
    }
    String defaultMake = "make -C " + ksd + " M=" + session.tree().buildDir(module, version);
    DkmsConfInterpreter.Context ictx =
        new DkmsConfInterpreter.Context(
            kernel,
            arch,
            session.distribution(),
            session.addonModulesDir(),
            defaultMake,
            builtWithClang(ksd, kc),
            kc);
    DkmsConfInterpreter.Result r = DkmsConfInterpreter.interpret(vars, ictx);
    for (String e : r.errors()) {
      session.console().errln(e);
    }
    if (!r.valid()) {
      return Optional.empty();
    }
    st.lastConfKey = key;
    st.lastConf = r.conf();
    return Optional.of(r.conf());
  }

  /** The shell variables a dkms.conf can use, as upstream has them set when it sources one. */
  public Map<String, String> context(
      String module, String version, String kernel, String arch, Path ksd, Path kconfig) {
    Map<String, String> ctx = dev.jdkms.core.conf.ShellEvaluator.context();
    ctx.put("kernelver", kernel);
    ctx.put("arch", arch);
    ctx.put("kernel_source_dir", ksd.toString());
    ctx.put("kernel_config", kconfig.toString());
    ctx.put("dkms_tree", session.setting("dkms_tree"));
    ctx.put("source_tree", session.setting("source_tree"));
    ctx.put("install_tree", session.setting("install_tree"));
    ctx.put("tmp_location", session.setting("tmp_location"));
    ctx.put("module", module);
    ctx.put("module_version", version);
    ctx.put("running_distribution", session.distribution().name());
    ctx.put("parallel_jobs", session.setting("parallel_jobs"));
    return ctx;
  }

  private static boolean builtWithClang(Path ksd, Optional<KernelConfig> kc) {
    Path vmlinux = ksd.resolve("vmlinux");
    if (Files.exists(vmlinux)) {
      try {
        Process p =
            new ProcessBuilder("readelf", "-p", ".comment", vmlinux.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.contains("clang");
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return kc.map(c -> c.contains("CONFIG_CC_IS_CLANG=y")).orElse(false);
  }

  private static String realPath(Path p) {
    try {
      return p.toRealPath().toString();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize().toString();
    }
  }
}
