package dev.jdkms.hooks.debian;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.Event;
import dev.jdkms.hooks.Engine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernels that have neither an image nor headers any more (the headers of a kernel whose image was
 * never installed were removed): no image package ran prerm.d for them, so their modules are
 * removed as if the kernel had been, and the empty directories go.
 */
final class GoneKernels {
  private final Engine engine;
  private final Console console;

  GoneKernels(Engine engine, Console console) {
    this.engine = engine;
    this.console = console;
  }

  void run() throws IOException {
    Engine.Locations at = engine.locations();
    if (!Files.isDirectory(at.installTree())) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(at.installTree())) {
      for (Path dir : s) {
        String k = dir.getFileName().toString();
        if (!Files.isDirectory(dir) || stillThere(dir, at.boot().resolve("vmlinuz-" + k))) {
          continue;
        }
        if (builtFor(at.dkmsTree(), k)) {
          console.println(
              "dkms: kernel "
                  + k
                  + " has neither an image nor headers any more: removing its modules.");
          if (!engine.run(Engine.Request.of(new Event.KernelRemoved(k))).succeeded()) {
            console.println("dkms: WARNING: removing the modules of kernel " + k + " failed.");
          }
        }
        KernelDirectories.removeEmpty(dir);
      }
    }
  }

  private static boolean stillThere(Path dir, Path image) {
    return Files.isDirectory(dir.resolve("kernel"))
        || Files.exists(image)
        || Files.isDirectory(dir.resolve("build/include"));
  }

  /** Whether any {@code M/V/K} exists in the tree. */
  private static boolean builtFor(Path tree, String kernel) throws IOException {
    if (!Files.isDirectory(tree)) {
      return false;
    }
    try (DirectoryStream<Path> modules = Files.newDirectoryStream(tree)) {
      for (Path m : modules) {
        if (m.getFileName().toString().startsWith(".") || !Files.isDirectory(m)) {
          continue;
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(m)) {
          for (Path v : versions) {
            if (Files.isDirectory(v.resolve(kernel))) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }
}
