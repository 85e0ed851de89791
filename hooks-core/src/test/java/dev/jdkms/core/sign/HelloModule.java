package dev.jdkms.core.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a real, tiny kernel module against the installed headers, so signatures are checked on the
 * kind of file dkms signs. Missing headers fail the test: a skipped signing test proves nothing.
 */
final class HelloModule {
  static final String KERNEL = "6.1.0-56-amd64";

  private static final String SOURCE =
      String.join(
          "\n",
          "#include <linux/init.h>",
          "#include <linux/module.h>",
          "",
          "static int __init hello_init(void) { return 0; }",
          "static void __exit hello_exit(void) {}",
          "module_init(hello_init);",
          "module_exit(hello_exit);",
          "MODULE_LICENSE(\"GPL\");",
          "MODULE_DESCRIPTION(\"jdkms signing test module\");",
          "");

  private HelloModule() {}

  /** Compiles hello.ko in {@code dir} and returns its path. */
  static Path build(Path dir) throws IOException {
    Path kbuild = Path.of("/lib/modules", KERNEL, "build");
    assertThat(kbuild.resolve("Makefile"))
        .as("kernel headers for %s (package linux-headers-%s) are required", KERNEL, KERNEL)
        .isRegularFile();
    Files.writeString(dir.resolve("hello.c"), SOURCE);
    Files.writeString(dir.resolve("Kbuild"), "obj-m := hello.o\n");
    Commands.run(dir, "make", "-s", "-C", kbuild.toString(), "M=" + dir, "modules");
    Path module = dir.resolve("hello.ko");
    assertThat(module).isRegularFile();
    return module;
  }
}
