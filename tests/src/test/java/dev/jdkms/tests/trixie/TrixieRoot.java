package dev.jdkms.tests.trixie;

import dev.jdkms.tests.harness.DebianRoot;
import java.util.List;

/**
 * The Debian 13 root the trixie tests and tests/bench/trixie-dkms.sh share: what jdkms and Debian's
 * dkms need (Java 21 as default-jre-headless, gcc 14, make, kmod, patch, dpkg-dev), initramfs-tools
 * with xz and zstd, the trixie kernel K1 (image and headers) with K2's .debs, and the .debs of
 * Debian's dkms 3.2.2 and of real *-dkms packages from trixie. The bench script passes the same
 * options to tests/roots/debian-root, so both use one cached root.
 */
final class TrixieRoot {
  private TrixieRoot() {}

  /** *-dkms packages fetched into the root; each builds on trixie's kernel with both dkms. */
  static final List<String> DKMS_PACKAGES =
      List.of(
          "v4l2loopback-dkms",
          "acpi-call-dkms",
          "tp-smapi-dkms",
          "openvpn-dco-dkms",
          "gost-crypto-dkms",
          "evdi-dkms");

  static DebianRoot.Spec spec() {
    List<String> fetch = new java.util.ArrayList<>(List.of("dkms"));
    fetch.addAll(DKMS_PACKAGES);
    return new DebianRoot.Spec(
        "apt",
        "trixie",
        true,
        List.of(
            "initramfs-tools",
            "kmod",
            "gcc",
            "make",
            "patch",
            "dpkg-dev",
            "default-jre-headless",
            "zstd",
            "xz-utils",
            "openssl",
            "ca-certificates"),
        fetch);
  }
}
