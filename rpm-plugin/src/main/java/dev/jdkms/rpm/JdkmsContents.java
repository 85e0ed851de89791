package dev.jdkms.rpm;

import java.nio.file.Path;
import org.redline_rpm.payload.Directive;

/**
 * The payload: the same layout as the .deb (apt-hook), minus its Debian kernel hooks, plus the
 * kernel-install plugin and the boot-time unit (the rpm triggers' work is in dkms.jar, {@code jdkms
 * hook rpm}). Shared files are read from where the other modules keep them, never copied.
 */
final class JdkmsContents {

  private static final int EXEC = 0755;
  private static final int DATA = 0644;
  private static final int DIR = 0755;

  private final Path cli;
  private final Path debRoot;
  private final Path kernelInstallRoot;

  JdkmsContents(Path cli, Path debRoot, Path kernelInstallRoot) {
    this.cli = cli;
    this.debRoot = debRoot;
    this.kernelInstallRoot = kernelInstallRoot;
  }

  void addTo(TriggerBuilder b) throws Exception {
    // Directories of the base system: not ours to own (redline adds missing parents otherwise).
    for (String d :
        new String[] {
          "/usr/share/bash-completion",
          "/usr/share/bash-completion/completions",
          "/usr/share/man",
          "/usr/share/man/man8",
          "/usr/sbin",
          "/usr/lib/kernel",
          "/usr/lib/kernel/install.d",
          "/usr/lib/systemd",
          "/usr/lib/systemd/system",
          "/usr/lib",
          "/usr/share",
          "/usr",
          "/etc",
          "/var",
          "/var/lib"
        }) {
      b.addBuiltinDirectory(d);
    }
    for (String d :
        new String[] {
          "/usr/lib/jdkms",
          "/usr/lib/jdkms/bin",
          "/usr/lib/jdkms/lib",
          "/usr/lib/jdkms/hooks",
          "/usr/lib/dkms",
          "/etc/dkms",
          "/etc/dkms/framework.conf.d",
          "/var/lib/dkms"
        }) {
      b.addDirectory(d, DIR, Directive.NONE, "root", "root", false);
    }
    b.addFile("/usr/lib/jdkms/lib/dkms.jar", JdkmsRpm.file(cli.resolve("target/dkms.jar")), DATA);
    b.addFile(
        "/usr/lib/jdkms/bin/dkms", JdkmsRpm.file(cli.resolve("src/main/dist/bin/dkms")), EXEC);
    b.addFile(
        "/usr/lib/jdkms/bin/jdkms", JdkmsRpm.file(cli.resolve("src/main/dist/bin/jdkms")), EXEC);
    b.addLink("/usr/sbin/dkms", "../lib/jdkms/bin/dkms");
    b.addFile(
        "/usr/lib/dkms/dkms_autoinstaller",
        JdkmsRpm.file(cli.resolve("src/main/dist/lib/dkms_autoinstaller")),
        EXEC);
    exec(b, debRoot, "usr/lib/dkms/common.postinst");
    exec(b, debRoot, "usr/lib/jdkms/hooks/java-setup");
    // kernel-core's %posttrans runs kernel-install: the plugin finds the triggers' work done (or
    // does it first); the unit is the boot-time catch-up (not enabled by the package).
    exec(b, kernelInstallRoot, "usr/lib/kernel/install.d/40-jdkms.install");
    data(b, kernelInstallRoot, "usr/lib/systemd/system/jdkms.service");
    data(b, debRoot, "usr/share/bash-completion/completions/dkms");
    data(b, debRoot, "usr/share/man/man8/dkms.8");
    data(b, debRoot, "usr/share/man/man8/jdkms.8");
    b.addFile(
        "/etc/dkms/framework.conf",
        JdkmsRpm.file(debRoot.resolve("etc/dkms/framework.conf")),
        DATA,
        new Directive(Directive.RPMFILE_CONFIG | Directive.RPMFILE_NOREPLACE));
  }

  private static void exec(TriggerBuilder b, Path root, String rel) throws Exception {
    b.addFile("/" + rel, JdkmsRpm.file(root.resolve(rel)), EXEC);
  }

  private static void data(TriggerBuilder b, Path root, String rel) throws Exception {
    b.addFile("/" + rel, JdkmsRpm.file(root.resolve(rel)), DATA);
  }
}
