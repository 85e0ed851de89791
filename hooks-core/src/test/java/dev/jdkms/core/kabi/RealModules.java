package dev.jdkms.core.kabi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real modules compiled against the installed kernel headers (Debian's 6.1.0-NN, MODVERSIONS on),
 * once per test class, for the two newest kernels that have headers. Missing headers fail the test:
 * a skipped kABI test proves nothing.
 *
 * <ul>
 *   <li>{@code kabi_prov.ko}: exports {@code kabi_prov_add} (GPL-only, namespace KABI_TEST) and
 *       {@code kabi_prov_plain};
 *   <li>{@code kabi_user.ko}: imports {@code kabi_prov_add} (declares KABI_TEST), kmalloc, kfree;
 *   <li>{@code kabi_prop.ko}: licence "Proprietary", imports {@code kfree}.
 * </ul>
 */
final class RealModules {
  static final String PROV =
      String.join(
          "\n",
          "#include <linux/module.h>",
          "int kabi_prov_add(int a, int b) { return a + b; }",
          "EXPORT_SYMBOL_NS_GPL(kabi_prov_add, KABI_TEST);",
          "int kabi_prov_plain(int a) { return a; }",
          "EXPORT_SYMBOL(kabi_prov_plain);",
          "MODULE_LICENSE(\"GPL\");",
          "");
  static final String USER =
      String.join(
          "\n",
          "#include <linux/module.h>",
          "#include <linux/slab.h>",
          "extern int kabi_prov_add(int a, int b);",
          "MODULE_IMPORT_NS(KABI_TEST);",
          "static int __init u_init(void)",
          "{ void *p = kmalloc(10, GFP_KERNEL); kfree(p); return kabi_prov_add(1, -1); }",
          "module_init(u_init);",
          "MODULE_LICENSE(\"GPL\");",
          "MODULE_VERSION(\"2.5\");",
          "");
  static final String PROP =
      String.join(
          "\n",
          "#include <linux/module.h>",
          "#include <linux/slab.h>",
          "static int __init p_init(void) { kfree(NULL); return 0; }",
          "module_init(p_init);",
          "MODULE_LICENSE(\"Proprietary\");",
          "");

  /** The kernels built for, older first. */
  final String older;

  final String newer;
  private final Path root;

  private RealModules(Path root, String older, String newer) {
    this.root = root;
    this.older = older;
    this.newer = newer;
  }

  /** Kernel releases under /lib/modules with headers, in version order. */
  static List<String> kernelsWithHeaders() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/lib/modules"))) {
      s.filter(p -> Files.isRegularFile(p.resolve("build/Makefile")))
          .forEach(p -> out.add(p.getFileName().toString()));
    }
    out.sort(RealModules::compareVersions);
    return out;
  }

  static RealModules build(Path dir) throws IOException, InterruptedException {
    List<String> ks = kernelsWithHeaders();
    assertThat(ks)
        .as("at least two kernels with headers under /lib/modules/K/build are required")
        .hasSizeGreaterThanOrEqualTo(2);
    String older = ks.get(ks.size() - 2);
    String newer = ks.get(ks.size() - 1);
    List<Process> makes = new ArrayList<>();
    for (String k : List.of(older, newer)) {
      Path d = Files.createDirectories(dir.resolve(k));
      Files.writeString(d.resolve("kabi_prov.c"), PROV);
      Files.writeString(d.resolve("kabi_user.c"), USER);
      Files.writeString(d.resolve("kabi_prop.c"), PROP);
      Files.writeString(d.resolve("Kbuild"), "obj-m := kabi_prov.o kabi_user.o kabi_prop.o\n");
      makes.add(
          new ProcessBuilder(
                  "make", "-s", "-C", "/lib/modules/" + k + "/build", "M=" + d, "modules")
              .redirectErrorStream(true)
              .redirectOutput(d.resolve("make.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start());
    }
    for (int i = 0; i < makes.size(); i++) {
      int rc = makes.get(i).waitFor();
      String k = i == 0 ? older : newer;
      assertThat(rc)
          .as(
              "make for %s:%n%s",
              k, Files.readString(dir.resolve(k).resolve("make.log"), StandardCharsets.UTF_8))
          .isZero();
    }
    return new RealModules(dir, older, newer);
  }

  Path module(String kernel, String name) {
    return root.resolve(kernel).resolve(name + ".ko");
  }

  Path symvers(String kernel) {
    return root.resolve(kernel).resolve("Module.symvers");
  }

  /** Every module built for {@code kernel} (references for the kernel's struct module size). */
  List<Path> all(String kernel) {
    return List.of(
        module(kernel, "kabi_prov"), module(kernel, "kabi_user"), module(kernel, "kabi_prop"));
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c;
      if (x[i].matches("\\d+") && y[i].matches("\\d+")) {
        c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
