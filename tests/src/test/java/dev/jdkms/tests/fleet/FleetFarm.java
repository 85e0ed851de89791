package dev.jdkms.tests.fleet;

import dev.jdkms.tests.harness.DebianRoot;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.util.List;

/**
 * The build machine of the fleet tests, a sandbox of this host: jdkms from the checkout, the
 * sources of two real Debian *-dkms packages, the fleet's key pair (openssl), and K2's headers
 * removed, its header .debs (from the target root's download of K2, and the linux-kbuild package
 * they depend on) beside them. All under {@value #DIR}.
 */
final class FleetFarm {
  static final String DIR = "/var/tmp/fleet";
  static final String KEY = DIR + "/key/fleet.key";
  static final String CERT = DIR + "/key/fleet.der";
  static final String JDKMS = "/usr/lib/jdkms/bin/jdkms";

  /** The two module packages: package, dkms module name, .ko name. */
  static final String[][] MODULES = {
    {"v4l2loopback-dkms", "v4l2loopback", "v4l2loopback"},
    {"acpi-call-dkms", "acpi-call", "acpi_call"}
  };

  private FleetFarm() {}

  /** Prepares {@code farm}; returns the script's result (required to succeed). */
  static Result prepare(Sandbox farm, DebianRoot target, List<String> kernels) {
    DkmsUnderTest.installInto(farm);
    String k2 = kernels.get(1);
    String debs = target.path() + DebianRoot.KERNEL_DEBS;
    String common = "linux-headers-" + k2.replaceFirst("-[^-]+$", "") + "-common";
    String script =
        String.join(
            "\n",
            "set -e",
            "rm -rf /usr/src/linux-headers-" + k2 + " /usr/src/" + common + " /lib/modules/" + k2,
            "mkdir -p " + DIR + "/dl " + DIR + "/src " + DIR + "/key " + DIR + "/headers",
            "cd " + DIR + "/dl",
            "apt-get -q download " + MODULES[0][0] + " " + MODULES[1][0] + " 2>/dev/null",
            "for d in *-dkms_*.deb; do dpkg-deb -x \"$d\" " + DIR + "/src; done",
            "cp '" + debs + "'/linux-headers-" + k2 + "_*.deb " + DIR + "/headers/",
            "cp '" + debs + "'/" + common + "_*.deb " + DIR + "/headers/",
            "cd " + DIR + "/headers",
            "kbuild=$(dpkg-deb -f linux-headers-"
                + k2
                + "_*.deb Depends | grep -o 'linux-kbuild-[0-9.]*' | head -n 1)",
            "apt-get -q download \"$kbuild\" 2>/dev/null",
            "openssl req -new -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=jdkms fleet test/'"
                + " -keyout "
                + KEY
                + " -outform DER -out "
                + CERT
                + " 2>/dev/null",
            "ls " + DIR + "/src/usr/src " + DIR + "/headers");
    return farm.sh(script).requireSuccess();
  }

  /**
   * {@code jdkms fleet build --format FORMATS} of both sources for {@code kernels} into {@code
   * out}.
   */
  static Result build(
      Sandbox farm, List<String> kernels, boolean withHeaderDebs, String out, String formats) {
    StringBuilder s = new StringBuilder(JDKMS + " fleet build -j 2 --format " + formats);
    s.append(" --source ").append(DIR).append("/src/usr/src/v4l2loopback-*");
    s.append(" --source ").append(DIR).append("/src/usr/src/acpi-call-*");
    kernels.forEach(k -> s.append(" -k ").append(k));
    if (withHeaderDebs) {
      s.append(" $(for d in ").append(DIR).append("/headers/*.deb; do echo --headers $d; done)");
    }
    s.append(" --key ").append(KEY).append(" --cert ").append(CERT).append(" -o ").append(out);
    return farm.sh(s.toString());
  }

  /** Makes {@code dir} a flat apt repository (apt-ftparchive: Packages and Release). */
  static Result repository(Sandbox farm, String dir) {
    return farm.sh(
            "cd "
                + dir
                + " && apt-ftparchive packages . > Packages && apt-ftparchive release . > Release && ls")
        .requireSuccess();
  }
}
