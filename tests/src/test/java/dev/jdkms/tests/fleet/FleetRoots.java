package dev.jdkms.tests.fleet;

import dev.jdkms.tests.boot.GuestRoots;
import dev.jdkms.tests.harness.DebianRoot;

/**
 * The fleet tests' target: the boot tests' bookworm root (K1's image and headers, K2's .debs), so
 * that CI makes one root for both; the test purges its compiler, make and headers in the sandbox.
 */
final class FleetRoots {
  private FleetRoots() {}

  static DebianRoot.Spec target() {
    return GuestRoots.bookworm();
  }
}
