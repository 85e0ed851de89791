package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Catches a module that compiled against the wrong kernel: its vermagic names another release than
 * the one dkms built for. The usual cause is a Makefile that runs {@code make -C
 * /lib/modules/$(shell uname -r)/build} instead of using the kernel dkms passes, so a build "for" a
 * new kernel silently produces a module for the running one, which the new kernel then refuses at
 * boot.
 */
public final class BuiltModuleCheck {
  /** A built module whose vermagic names {@link #found()} instead of {@link #expected()}. */
  public record Mismatch(Path module, String vermagic, String found, String expected) {
    /** The message lines: module, vermagic found, kernel expected, and the usual cause. */
    public String[] lines() {
      return new String[] {
        "Module " + module + " was built for kernel " + found + ", not " + expected + ".",
        "vermagic found: " + vermagic.strip(),
        "kernel expected: " + expected,
        "The usual cause: its Makefile builds against `uname -r` ($(shell uname -r)), the running"
            + " kernel, instead of KERNELRELEASE, the kernel dkms passes"
            + " (make -C /lib/modules/$(KERNELRELEASE)/build M=$(PWD))."
      };
    }
  }

  private BuiltModuleCheck() {}

  /**
   * Compares the release in {@code module}'s vermagic with {@code kernel}. Empty when they match,
   * and also when the file has no vermagic or is not a module this reader understands (those are
   * reported elsewhere, if at all: the build itself succeeded).
   *
   * @throws IOException if the file cannot be read
   */
  public static Optional<Mismatch> check(Path module, String kernel) throws IOException {
    KernelModule m;
    try {
      m = KernelModule.read(module);
    } catch (ModuleFormatException e) {
      return Optional.empty();
    }
    Optional<String> vermagic = m.vermagic();
    Optional<String> release = m.builtFor();
    if (vermagic.isEmpty() || release.isEmpty() || release.get().equals(kernel)) {
      return Optional.empty();
    }
    return Optional.of(new Mismatch(module, vermagic.get(), release.get(), kernel));
  }
}
