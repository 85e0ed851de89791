package dev.jdkms.tests.boot;

import dev.jdkms.tests.harness.DebianRoot;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Sandbox;
import dev.jdkms.tests.harness.Vm;
import java.nio.file.Path;
import java.util.List;

/** The guest root the boot tests share, and how its sandbox becomes a booted guest. */
public final class GuestRoots {
  /** Where tests/vm/make-image writes the disk, kernels and initrds inside the sandbox. */
  static final String OUT = "/var/tmp/jdkms-vm";

  private GuestRoots() {}

  /**
   * Debian 12 with K1, K2's .debs, what jdkms needs, and the .debs of Debian's v4l2loopback-dkms
   * and of the signed boot chain (shim, MokManager, grub) for the Secure Boot guest. The fleet
   * tests' target is this root too (one root to make in CI), with the compiler purged.
   */
  public static DebianRoot.Spec bookworm() {
    return new DebianRoot.Spec(
        "vm",
        "bookworm",
        true,
        List.of(
            "initramfs-tools",
            "kmod",
            "gcc",
            "make",
            "patch",
            "dpkg-dev",
            "default-jre-headless",
            "e2fsprogs",
            "udev",
            "zstd"),
        List.of(
            "v4l2loopback-dkms",
            "shim-signed",
            "shim-helpers-amd64-signed",
            "grub-efi-amd64-signed"));
  }

  /** tests/vm/initramfs-proof, to run inside the sandbox: GENERATOR MODULE. */
  static String initramfsProof() {
    return Repo.root().resolve("tests/vm/initramfs-proof").toString();
  }

  /** tests/vm/make-image, to run inside the sandbox. */
  static String makeImage() {
    return Repo.root().resolve("tests/vm/make-image").toString();
  }

  /** The guest's kernel command line: its root disk, the serial console, tests/vm/guest-init. */
  static String cmdline(String extra) {
    return "root=/dev/vda rw console=ttyS0 panic=-1 loglevel=4 init=/sbin/jdkms-proof " + extra;
  }

  /**
   * Boots {@code kernel} with its initrd from the image made by {@link #makeImage}, the guest
   * loading {@code modules} (comma-separated); fails with the serial log's tail unless it finishes.
   */
  static Vm.Outcome boot(Sandbox sb, String kernel, String modules, Path workDir) {
    String append = cmdline("jdkms_modules=" + modules);
    Vm.Boot b =
        Vm.Boot.direct(
            sb.upper(OUT + "/root.img"),
            sb.upper(OUT + "/vmlinuz-" + kernel),
            sb.upper(OUT + "/initrd.img-" + kernel),
            append);
    return Vm.run(b, workDir).requireFinished();
  }
}
