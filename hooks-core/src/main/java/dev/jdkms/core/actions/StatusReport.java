package dev.jdkms.core.actions;

import dev.jdkms.core.build.FileTrees;
import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.install.InstalledLocation;
import dev.jdkms.core.kabi.WeakUpdates;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.ModuleStatus;
import dev.jdkms.core.tree.ModuleStatus.Entry;
import dev.jdkms.core.tree.PrebuiltManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code dkms status}: upstream's line formats exactly (they are parsed by distribution hooks and
 * vendor scripts), in upstream's order, with the suffixes for original and missing or differing
 * modules.
 */
public final class StatusReport {
  private final Session session;

  private final java.util.Map<String, String> suffixes = new java.util.HashMap<>();

  public StatusReport(Session session) {
    this.session = session;
  }

  /** upstream's {@code module_status M V K A}: broken, added, built, installed entries. */
  public List<Entry> entries(String module, String version, String kernel, String arch)
      throws IOException {
    return ModuleStatus.entries(session.tree(), module, version, kernel, arch);
  }

  /**
   * Prints the status lines for one module/version/kernel/arch filter. Each module/version's {@code
   * installed-weak} lines (kernels whose weak-updates link to its modules) follow its own lines, in
   * upstream's comma format. (Upstream's {@code module_status_weak} tests NO_WEAK_MODULES the wrong
   * way round and so never prints them.)
   */
  public void print(String module, String version, String kernel, String arch) throws IOException {
    List<Entry> entries = entries(module, version, kernel, arch);
    WeakUpdates weak = new WeakUpdates(session.installTree(), session.tree().root());
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      print(e);
      boolean last =
          i + 1 == entries.size()
              || !entries.get(i + 1).module().equals(e.module())
              || !entries.get(i + 1).version().equals(e.version());
      if (last && !e.state().equals("broken") && !e.state().equals("added")) {
        for (WeakUpdates.WeakEntry w : weak.status(e.module(), e.version(), kernel, arch)) {
          session
              .console()
              .println(
                  w.module()
                      + ", "
                      + w.version()
                      + ", "
                      + w.kernel()
                      + ", "
                      + w.arch()
                      + ": installed-weak from "
                      + w.from());
        }
      }
    }
    printPrebuilt(entries, module, version, kernel, arch);
  }

  /**
   * jdkms: a module version a prebuilt package provides for a kernel, in upstream's line format
   * with a suffix naming the package, after upstream's lines; not when the tree has its own line
   * for that module, version and kernel. The filters apply as to the tree's lines.
   */
  private void printPrebuilt(
      List<Entry> entries, String module, String version, String kernel, String arch) {
    String machine = KernelArches.machine();
    if (!arch.isEmpty() && !arch.equals(machine)) {
      return;
    }
    for (PrebuiltManifest p : session.prebuilt().matching(module, version, kernel)) {
      boolean listed =
          entries.stream()
              .anyMatch(
                  e ->
                      e.module().equals(p.module())
                          && e.version().equals(p.version())
                          && e.kernel().equals(p.kernel()));
      if (!listed) {
        session
            .console()
            .println(
                p.moduleVersion()
                    + ", "
                    + p.kernel()
                    + ", "
                    + machine
                    + ": installed (prebuilt: "
                    + p.packageName()
                    + ")");
      }
    }
  }

  private void print(Entry e) throws IOException {
    String mv = e.module() + "/" + e.version();
    switch (e.state()) {
      case "broken" -> {
        session.console().println(mv + ": broken");
        session
            .console()
            .error(
                mv + ": Missing the module source directory or the symbolic link pointing to it.",
                "Manual intervention is required!");
      }
      case "added" -> session.console().println(mv + ": added");
      default ->
          session
              .console()
              .println(mv + ", " + e.kernel() + ", " + e.arch() + ": " + e.state() + extra(e));
    }
  }

  /** upstream's {@code module_status_built_extra}. */
  private String extra(Entry e) throws IOException {
    DkmsTree tree = session.tree();
    StringBuilder b = new StringBuilder();
    if (Files.isDirectory(tree.originalModuleDir(e.module(), e.kernel(), e.arch()))) {
      b.append(" (Original modules exist)");
    }
    // One walk of /lib/modules/K per kernel, not per line.
    String suffix =
        suffixes.computeIfAbsent(e.kernel(), k -> session.kernel(k).compressionSuffix());
    DkmsConf conf;
    try {
      Session quiet = session;
      Optional<DkmsConf> c =
          new ConfReader(quiet)
              .readConf(
                  e.module(),
                  e.version(),
                  e.kernel(),
                  e.arch(),
                  tree.sourceLink(e.module(), e.version()).resolve("dkms.conf"),
                  false);
      if (c.isEmpty()) {
        return b.toString();
      }
      conf = c.get();
    } catch (DkmsException ex) {
      session.report(ex);
      return b.toString();
    }
    Path builtModules =
        tree.builtDir(e.module(), e.version(), e.kernel(), e.arch()).resolve("module");
    for (ModuleRecord m : conf.modules()) {
      if (!conf.isBuildable(m.index())) {
        continue;
      }
      Optional<Path> treeMod = FileTrees.moduleFile(builtModules, m.destName(), suffix);
      if (treeMod.isEmpty()) {
        b.append(" (Built modules are missing in the kernel modules folder)");
        break;
      }
      if (e.state().equals("installed")) {
        Optional<String> loc =
            InstalledLocation.find(
                session.installTree(),
                e.kernel(),
                tree.activeLink(e.module(), e.kernel(), e.arch()).resolve("module"),
                m,
                suffix);
        Optional<Path> inst =
            FileTrees.moduleFile(
                Path.of(session.installTree() + "/" + e.kernel() + loc.orElse("")),
                m.destName(),
                suffix);
        if (inst.isEmpty() || Files.mismatch(treeMod.get(), inst.get()) != -1) {
          b.append(" (Differences between built and installed modules)");
          break;
        }
      }
    }
    return b.toString();
  }
}
