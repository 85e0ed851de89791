package dev.jdkms.hooks.kernelinstall;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * systemd's kernel-install plugin {@code 40-jdkms.install}. kernel-install runs its plugins in name
 * order, so this one runs before 50-depmod, 50-dracut and 85-initrd: what it builds is in place
 * when the new kernel's initramfs is made.
 *
 * <pre>
 *   add KERNEL_VERSION ENTRY_DIR KERNEL_IMAGE [INITRD...]  -> kernel added (K=IMAGE)
 *   remove KERNEL_VERSION ENTRY_DIR                        -> kernel removed
 * </pre>
 *
 * Verbs it does not know are not its to handle (exit 0). The exit policy is {@link
 * KernelInstallExitPolicy}'s. KERNEL_INSTALL_INITRD_GENERATOR reaches the engine through the
 * environment; nothing is written to KERNEL_INSTALL_STAGING_AREA.
 */
public final class KernelInstallPlugin {
  private final Engine engine;
  private final Console console;
  private final Map<String, String> env;

  public KernelInstallPlugin(Engine engine, Console console, Map<String, String> env) {
    this.engine = engine;
    this.console = console;
    this.env = env;
  }

  public int run(List<String> args) {
    String verb = args.isEmpty() ? "" : args.get(0);
    if (!verb.equals("add") && !verb.equals("remove")) {
      return 0;
    }
    String kernel = args.size() > 1 ? args.get(1) : "";
    if (kernel.isEmpty()) {
      say(
          "usage: 40-jdkms.install add KERNEL_VERSION ENTRY_DIR KERNEL_IMAGE [INITRD...] | remove"
              + " KERNEL_VERSION ENTRY_DIR");
      return ExitCode.USAGE;
    }
    String v = env.getOrDefault("KERNEL_INSTALL_VERBOSE", "");
    boolean verbose = !v.isEmpty() && !v.equals("0");
    if (verb.equals("remove")) {
      log(verbose, "jdkms transaction --kernel-removed " + kernel);
      EngineResult r = engine.run(request(new Event.KernelRemoved(kernel), verbose));
      KernelInstallExitPolicy.judgeRemove(kernel, r).lines().forEach(console::errln);
      return 0;
    }
    Optional<Path> image =
        args.size() > 3 && !args.get(3).isEmpty()
            ? Optional.of(Path.of(args.get(3)))
            : Optional.empty();
    if (args.size() > 4 || stagedInitrd()) {
      // kernel-install was handed an initrd, or a plugin before this one made it: nobody puts
      // what is built now into it
      say(
          "note: kernel "
              + kernel
              + " comes with a ready-made initrd; modules built now are not in it.");
    }
    log(verbose, "jdkms transaction --kernel-added " + kernel + image.map(i -> "=" + i).orElse(""));
    EngineResult r = engine.run(request(new Event.KernelAdded(kernel, image), verbose));
    KernelInstallExitPolicy.Verdict verdict = KernelInstallExitPolicy.judgeAdd(kernel, image, r);
    verdict.lines().forEach(console::errln);
    return verdict.status();
  }

  private static Engine.Request request(Event e, boolean verbose) {
    return new Engine.Request(List.of(e), List.of(), List.of(), verbose);
  }

  private boolean stagedInitrd() {
    String staging = env.get("KERNEL_INSTALL_STAGING_AREA");
    if (staging == null || staging.isEmpty() || !Files.isDirectory(Path.of(staging))) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of(staging), "initrd*")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private void log(boolean verbose, String line) {
    if (verbose) {
      say(line);
    }
  }

  private void say(String line) {
    console.errln("jdkms: " + line);
  }
}
