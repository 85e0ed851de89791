package dev.jdkms.rpm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Os;
import org.redline_rpm.header.RpmType;

/**
 * Writes {@code jdkms-VERSION-1.noarch.rpm}: the drop-in dkms in the package layout, its
 * dependencies and replacement of {@code dkms}, the install scriptlets and the file triggers that
 * run {@code jdkms transaction} once per rpm transaction (rpm-plugin/README.md).
 *
 * <pre>
 * JdkmsRpm --version=V --dkms-version=V --repo=CHECKOUT --rpm-root=SRC_RPM --out=DIR
 * </pre>
 */
public final class JdkmsRpm {

  /** rpm's RPMSENSE_LESS and RPMSENSE_EQUAL (redline's Flags), combined for "&lt;=". */
  private static final int LESS = 2;

  private static final int EQUAL = 8;

  /** rpm runs file triggers of a lower priority than 10000 after %preun, higher ones before. */
  static final int AFTER_PREUN = 1000;

  static final String JDKMS = "/usr/lib/jdkms/bin/jdkms";

  /** Where kernels (Fedora: /usr/lib/modules/K/vmlinuz; older layouts /lib) and modules arrive. */
  static final String[] WATCHED = {"/usr/lib/modules", "/lib/modules", "/usr/src"};

  private final Map<String, String> options;

  private JdkmsRpm(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("usage: JdkmsRpm --name=value...; got " + a);
      }
      options.put(a.substring(2, eq), a.substring(eq + 1));
    }
    Path rpm = new JdkmsRpm(options).write();
    System.out.println("jdkms rpm: " + rpm);
  }

  private Path option(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return Path.of(v);
  }

  /**
   * rpm versions cannot contain '-': 0.1.0-SNAPSHOT becomes 0.1.0~SNAPSHOT (sorts before 0.1.0).
   */
  static String rpmVersion(String mavenVersion) {
    return mavenVersion.replace('-', '~');
  }

  Path write() throws Exception {
    TriggerBuilder b = new TriggerBuilder();
    b.setPackage("jdkms", rpmVersion(options.get("version")), "1");
    b.setType(RpmType.BINARY);
    b.setPlatform(Architecture.NOARCH, Os.LINUX);
    b.setSummary("Dynamic Kernel Module Support rebuilt in Java (drop-in dkms)");
    b.setDescription(
        "jdkms is a drop-in replacement for dkms "
            + options.get("dkms-version")
            + ": the same dkms command line, dkms.conf files,\n"
            + "/var/lib/dkms tree, status lines, messages and exit codes. rpm file triggers build,\n"
            + "install and remove out-of-tree modules whenever a transaction (rpm or dnf) brings or\n"
            + "takes kernels or module sources under /usr/src, with one plan per transaction.");
    b.setLicense("Apache-2.0");
    b.setGroup("System Environment/Kernel");
    b.setBuildHost("localhost");
    b.setPackager("jdkms maintainers");

    new JdkmsContents(option("repo")).addTo(b);
    declareRelations(b, options.get("dkms-version"));
    declareScripts(b, option("rpm-root"));

    Path out = option("out");
    Files.createDirectories(out);
    String name = b.build(out.toFile());
    return out.resolve(name);
  }

  /**
   * Requires, Provides, Obsoletes, Conflicts (README "rpm and dnf"): a drop-in for dkms {@code
   * dkmsVersion} (the parent pom's dkms.compat.version) that replaces every dkms up to it.
   */
  static void declareRelations(TriggerBuilder b, String dkmsVersion) {
    // Fedora/RHEL: every java-N-openjdk-headless provides java-headless = 1:N.
    b.addDependencyMore("java-headless", "1:17");
    b.addDependency("/bin/sh", 0, "");
    b.addDependency("/bin/bash", 0, "");
    b.addDependency("gcc", 0, "");
    b.addDependency("make", 0, "");
    b.addDependency("kmod", 0, "");
    b.addProvides("dkms", dkmsVersion);
    b.addObsoletes("dkms", LESS | EQUAL, dkmsVersion);
    b.addConflicts("dkms", 0, "");
  }

  static void declareScripts(TriggerBuilder b, Path rpmRoot) throws IOException {
    Path scripts = rpmRoot.resolve("scripts");
    b.setPostInstallScript(read(scripts.resolve("post")));
    b.setPreUninstallScript(read(scripts.resolve("preun")));
    b.setPostUninstallScript(read(scripts.resolve("postun")));
    // Once per erased package, its files still present: kernels going away are recorded, module
    // sources torn down. Below priority 10000 rpm runs it after the package's %preun, which lets
    // jdkms's own %preun mark its erase (dev.jdkms.hooks.rpm.RpmTrigger).
    b.addFileTrigger(
        new FileTrigger(
            FileTrigger.Kind.UN, false, List.of(WATCHED), call("removing"), AFTER_PREUN));
    // Once at the end of the transaction, with every path installed in it.
    b.addFileTrigger(FileTrigger.perTransaction(FileTrigger.Kind.IN, call("installed"), WATCHED));
    // After the transaction's %transfiletriggerin (rpm 4.18 runs postun second) whenever any
    // package was erased. One prefix only: rpm 4.18 never fires a postun trigger with several.
    b.addFileTrigger(FileTrigger.perTransaction(FileTrigger.Kind.POSTUN, call("finish"), "/"));
  }

  private static String call(String stage) {
    // $PPID is the rpm (or dnf) process, the transaction every trigger of it shares.
    return "[ -x " + JDKMS + " ] || exit 0\nexec " + JDKMS + " hook rpm " + stage + " \"$PPID\"\n";
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p);
  }

  static File file(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          "missing input file " + p + " (run mvn package from the top)");
    }
    return p.toFile();
  }
}
