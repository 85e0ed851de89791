package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * rpm and dnf (Debian 12's real ones) inside a sandbox of the whole host, on the host's root: rpmdb
 * in /var/lib/rpm (through /root/.rpmmacros, which dnf needs), a local repository made with
 * createrepo_c from the jdkms rpm (rpm-plugin/target) and the fixtures of tests/fixtures/rpm.
 * Scriptlets and file triggers run chrooted into "/" — the sandbox — where Java, gcc and the kernel
 * headers of the host are. The rpmdb starts empty: the fixture package host-base declares what the
 * host has (/bin/sh, java-headless = 1:17, gcc, make, kmod).
 */
public final class Dnf {
  public static final String REPO = "/var/tmp/rpmrepo";

  private Dnf() {}

  /** rpm-plugin/target/jdkms-*.noarch.rpm, built by the reactor before the tests. */
  public static Path jdkmsRpm() {
    Path target = Repo.root().resolve("rpm-plugin/target");
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("jdkms-.*\\.noarch\\.rpm"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no jdkms rpm in " + target + ": mvn package"));
    } catch (IOException e) {
      throw new UncheckedIOException("no " + target + ": run mvn package first", e);
    }
  }

  /** The fixture package of kernel K (tests/fixtures/rpm/kernel-test.spec). */
  public static String kernelPackage(String kernel) {
    return "kernel-test-" + kernel.replace('-', '_');
  }

  /**
   * Builds the fixture rpms and the repository, configures rpm and dnf, installs host-base. The
   * host's own /usr/lib/modules/K (only build and source links) is removed for the given kernels,
   * so that a kernel exists in the sandbox only once its package is installed.
   */
  public static Result prepare(Sandbox sb, List<String> kernels) {
    String ks = String.join(" ", kernels);
    Path build = Repo.root().resolve("tests/fixtures/rpm/build.sh");
    return sb.sh(
        "set -e; for k in "
            + ks
            + "; do rm -rf /usr/lib/modules/$k; done\n"
            + "sh "
            + build
            + " "
            + REPO
            + " "
            + ks
            + "\ncp "
            + jdkmsRpm()
            + " "
            + REPO
            + "/\ncreaterepo_c -q "
            + REPO
            + "\necho '%_dbpath /var/lib/rpm' > /root/.rpmmacros\n"
            + "mkdir -p /etc/dnf\n"
            + "cat > /etc/dnf/dnf.conf <<'EOF'\n"
            + "[main]\ngpgcheck=0\nreposdir=/dev/null\ninstall_weak_deps=False\n"
            + "installonlypkgs=kernel-test\ninstallonly_limit=10\nkeepcache=False\n"
            + "[fixtures]\nname=jdkms test fixtures\nbaseurl=file://"
            + REPO
            + "\ngpgcheck=0\nmetadata_expire=0\nEOF\n"
            + "rpm --initdb\n"
            + "dnf -y -q --releasever=1 install host-base\n");
  }

  /** {@code dnf -y --releasever=1 ARGS}. */
  public static Result dnf(Sandbox sb, String... args) {
    return sb.sh("dnf -y --releasever=1 " + String.join(" ", args));
  }

  /**
   * How many module builds an output shows (dkms's "Building module(s)..." line, one per build).
   */
  public static long builds(Result r) {
    return r.outputLines().stream().filter(l -> l.startsWith("Building module(s)")).count();
  }

  /** How many times the engine ran (its summary table header). */
  public static long engineRuns(Result r) {
    return r.outputLines().stream().filter(l -> l.equals("jdkms transaction:")).count();
  }
}
