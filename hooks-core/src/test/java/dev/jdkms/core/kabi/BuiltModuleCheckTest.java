package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltModuleCheckTest {
  @TempDir Path dir;

  @Test
  void aModuleForAnotherKernelIsNamedWithItsVermagicAndTheUsualCause() throws Exception {
    TestElf t =
        new TestElf().modinfo("vermagic=6.1.0-55-amd64 SMP preempt mod_unload modversions ");
    Path ko = Files.write(dir.resolve("m.ko"), t.build());

    BuiltModuleCheck.Mismatch m = BuiltModuleCheck.check(ko, "6.1.0-56-amd64").orElseThrow();

    assertThat(m.found()).isEqualTo("6.1.0-55-amd64");
    assertThat(m.lines())
        .containsExactly(
            "Module " + ko + " was built for kernel 6.1.0-55-amd64, not 6.1.0-56-amd64.",
            "vermagic found: 6.1.0-55-amd64 SMP preempt mod_unload modversions",
            "kernel expected: 6.1.0-56-amd64",
            "The usual cause: its Makefile builds against `uname -r` ($(shell uname -r)), the"
                + " running kernel, instead of KERNELRELEASE, the kernel dkms passes"
                + " (make -C /lib/modules/$(KERNELRELEASE)/build M=$(PWD)).");
    assertThat(BuiltModuleCheck.check(ko, "6.1.0-55-amd64")).isEmpty();
  }

  @Test
  void filesWithoutVermagicOrNotModulesAreLeftAlone() throws Exception {
    Path noMagic = Files.write(dir.resolve("a.ko"), new TestElf().modinfo("license=GPL").build());
    Path notElf = Files.writeString(dir.resolve("b.ko"), "#!/bin/sh\n");

    assertThat(BuiltModuleCheck.check(noMagic, "6.1.0-56-amd64")).isEmpty();
    assertThat(BuiltModuleCheck.check(notElf, "6.1.0-56-amd64")).isEmpty();
  }
}
