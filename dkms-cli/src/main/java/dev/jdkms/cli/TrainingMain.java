package dev.jdkms.cli;

import dev.jdkms.core.console.Console;
import dev.jdkms.hooks.CoreEngine;
import dev.jdkms.hooks.debian.DebianKernelHook;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run the installers make the start-up cache with (JDK 25's AOT cache, AppCDS before
 * that): {@code dkms status} over a small throwaway tree (one module version built for a kernel and
 * installed) rather than over the machine's own tree, which is empty on a fresh install, so that
 * the classes a real status line needs (dkms.conf reading, module file checks) are in the cache;
 * then the Debian kernel hook over the same tree (a transaction with nothing to do), the path
 * package managers start on every kernel change. Nothing outside a temporary directory is read or
 * written; the output is discarded.
 */
public final class TrainingMain {
  private static final String MODULE = "jdkms_training";
  private static final String KERNEL = "0.0.0-jdkms-training";

  private TrainingMain() {}

  public static void main(String[] args) throws IOException {
    // -Djdkms.training.show=true shows what the run printed (checking the training itself)
    train(
        Boolean.getBoolean("jdkms.training.show")
            ? Console.system()
            : Console.of(OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
  }

  /** Runs the training, printing what the status prints to {@code console}. */
  static void train(Console console) throws IOException {
    Path root = Files.createTempDirectory("jdkms-training-");
    try {
      String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : "unknown";
      Path src = Files.createDirectories(root.resolve("src/" + MODULE + "-1.0"));
      Files.writeString(
          src.resolve("dkms.conf"),
          "PACKAGE_NAME=\""
              + MODULE
              + "\"\nPACKAGE_VERSION=\"1.0\"\n"
              + "BUILT_MODULE_NAME[0]=\""
              + MODULE
              + "\"\nDEST_MODULE_LOCATION[0]=\"/updates\"\n"
              + "AUTOINSTALL=\"yes\"\n",
          StandardCharsets.UTF_8);
      Files.writeString(src.resolve(MODULE + ".c"), "", StandardCharsets.UTF_8);
      Path version = Files.createDirectories(root.resolve("tree/" + MODULE + "/1.0"));
      Files.createDirectories(version.resolve("build"));
      Files.createSymbolicLink(version.resolve("source"), src);
      Path built = Files.createDirectories(version.resolve(KERNEL + "/" + arch + "/module"));
      Files.createDirectories(version.resolve(KERNEL + "/" + arch + "/log"));
      byte[] ko = "not a module".getBytes(StandardCharsets.US_ASCII);
      Files.write(built.resolve(MODULE + ".ko"), ko);
      Files.createSymbolicLink(
          root.resolve("tree/" + MODULE + "/kernel-" + KERNEL + "-" + arch),
          Path.of("1.0/" + KERNEL + "/" + arch));
      Path installed = Files.createDirectories(root.resolve("lib/" + KERNEL + "/updates/dkms"));
      Files.write(installed.resolve(MODULE + ".ko"), ko);
      DkmsMain.run(
          new String[] {
            "status",
            "--dkmstree",
            root.resolve("tree").toString(),
            "--sourcetree",
            root.resolve("src").toString(),
            "--installtree",
            root.resolve("lib").toString()
          },
          console);
      // What a Debian kernel hook with nothing to do runs (the module is installed for the
      // kernel), from its entry point on; silent: its output is not the status's
      Console quiet = Console.of(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
      HookCommand.run(List.of(), quiet);
      Files.createDirectories(root.resolve("lib/" + KERNEL + "/build/include"));
      new DebianKernelHook(
              CoreEngine.overTrees(
                  quiet, root.resolve("tree"), root.resolve("src"), root.resolve("lib")),
              quiet,
              Map.of("DEB_MAINT_PARAMS", "configure "))
          .run(List.of("postinst", KERNEL));
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
