package dev.jdkms.tests;

import dev.jdkms.tests.harness.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines that upstream dkms 3.4.3 prints on Debian 12 again and again, for the exact-output tests.
 * The fixtures are named {@code dkms_*_test} so that dkms prints no progress dots (it prints a dot
 * every 3 s of a build for other names): "Building module(s)... done." is then deterministic.
 */
final class Expect {
  static final String ARCH = Kernels.arch();

  /**
   * Shell text creating the default MOK pair (/var/lib/dkms/mok.key, mok.pub) the way dkms does
   * (same openssl command): a build then prints no "generating" line. Faster than {@code dkms
   * generate_mok}, and independent of the dkms under test.
   */
  static final String MOK_PAIR =
      "mkdir -p /var/lib/dkms && openssl req -new -x509 -nodes -days 36500"
          + " -subj '/CN=DKMS module signing key' -newkey rsa:2048 -keyout /var/lib/dkms/mok.key"
          + " -addext extendedKeyUsage=codeSigning -outform DER -out /var/lib/dkms/mok.pub"
          + " > /dev/null 2>&1";

  private Expect() {}

  /** The sign-file dkms uses by default on Debian for kernel {@code k}. */
  static String signFile(String k) {
    String kbuild =
        "/usr/lib/linux-kbuild-" + k.substring(0, k.lastIndexOf('.')) + "/scripts/sign-file";
    return Files.isRegularFile(Path.of(kbuild))
        ? kbuild
        : "/lib/modules/" + k + "/build/scripts/sign-file";
  }

  /** The signing prologue of a build with the default MOK pair, already generated. */
  static List<String> prologue(String k) {
    return List.of(
        "Sign command: " + signFile(k),
        "Signing key: /var/lib/dkms/mok.key",
        "Public certificate (MOK): /var/lib/dkms/mok.pub",
        "");
  }

  /** "Signing module ..." for module file {@code name} of {@code m/v}. */
  static String signing(String m, String v, String name) {
    return "Signing module /var/lib/dkms/" + m + "/" + v + "/build/" + name + ".ko";
  }

  /** Where Debian installs module {@code name} (DEST_MODULE_LOCATION /updates → /updates/dkms). */
  static String dest(String k, String name) {
    return "/lib/modules/" + k + "/updates/dkms/" + name + ".ko";
  }

  /** "(k) (arch)" as dkms names a kernel in messages: {@code K (x86_64)}. */
  static String ka(String k) {
    return k + " (" + ARCH + ")";
  }

  /** A status line {@code m/v, k, arch: state}. */
  static String status(String mv, String k, String state) {
    return mv + ", " + k + ", " + ARCH + ": " + state;
  }

  /** The stdout of a build of {@code m/v} (one module {@code m}) with an existing MOK pair. */
  static List<String> build(String k, String m, String v) {
    return lines(prologue(k), "Building module(s)... done.", signing(m, v, m));
  }

  /** The lines of the uninstall block of a module file that was installed. */
  static List<String> uninstall(String mv, String k, String name) {
    return List.of(
        "Module " + mv + " for kernel " + ka(k) + ":",
        "Before uninstall, this module version was ACTIVE on this kernel.",
        "Deleting " + dest(k, name),
        "Running depmod... done.");
  }

  /** Flattens strings and lists of strings into one list. */
  static List<String> lines(Object... parts) {
    List<String> all = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof List<?> l) {
        for (Object o : l) {
          all.add((String) o);
        }
      } else {
        all.add((String) p);
      }
    }
    return all;
  }
}
