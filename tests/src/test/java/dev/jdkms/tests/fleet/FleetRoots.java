package dev.jdkms.tests.fleet;

import dev.jdkms.tests.harness.DebianRoot;
import java.util.List;

/**
 * The fleet tests' target: bookworm with K1's image (and headers, purged by the test), K2's .debs.
 */
final class FleetRoots {
  private FleetRoots() {}

  static DebianRoot.Spec target() {
    return new DebianRoot.Spec(
        "fleet", "bookworm", true, List.of("initramfs-tools", "kmod"), List.of());
  }
}
