package dev.jdkms.hooks.debian;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Debian kernel hooks, {@code /etc/kernel/STAGE.d/dkms}: Debian's kernel packages run them
 * through run-parts with the kernel release and, for image packages, the image path;
 * DEB_MAINT_PARAMS holds the maintainer script's own arguments. Each call is one plan for its
 * kernel: run-parts calls the hooks kernel by kernel, and initramfs-tools' hook, which runs right
 * after this one, must find that kernel's modules in place.
 *
 * <pre>
 *   hook debian preinst|postinst|header_postinst|prerm|postrm KERNEL [IMAGE]
 *   hook debian gone        (jdkms's dpkg trigger on /usr/src: headers removed, no image)
 * </pre>
 *
 * The exit policy is {@link DebianExitPolicy}'s; preinst, prerm, postrm and gone never fail.
 */
public final class DebianKernelHook {
  static final String USAGE =
      "Usage: hook debian preinst|postinst|header_postinst|prerm|postrm KERNEL [IMAGE]"
          + " | hook debian gone";

  private final Engine engine;
  private final Console console;
  private final Map<String, String> env;

  public DebianKernelHook(Engine engine, Console console, Map<String, String> env) {
    this.engine = engine;
    this.console = console;
    this.env = env;
  }

  /** Runs the stage; returns the hook's exit status. */
  public int run(List<String> args) throws IOException {
    String stage = args.isEmpty() ? "" : args.get(0);
    String kernel = args.size() > 1 ? args.get(1) : "";
    Optional<Path> image =
        args.size() > 2 && !args.get(2).isEmpty()
            ? Optional.of(Path.of(args.get(2)))
            : Optional.empty();
    if (stage.isEmpty() || (kernel.isEmpty() && !stage.equals("gone"))) {
      console.errln(USAGE);
      return ExitCode.USAGE;
    }
    UpgradeNotes notes = new UpgradeNotes(engine.locations().dkmsTree());
    switch (stage) {
      case "postinst":
        // Built before initramfs-tools (which runs after this hook) makes the kernel's image.
        Event added =
            notes.take(kernel)
                ? new Event.KernelUpgraded(kernel)
                : new Event.KernelAdded(kernel, image);
        return build(kernel, added);
      case "header_postinst":
        return build(kernel, new Event.HeadersAdded(kernel));
      case "preinst":
        preinst(kernel, notes);
        return 0;
      case "prerm":
        removeModules(kernel);
        return 0;
      case "postrm":
        KernelDirectories.removeEmpty(engine.locations().installTree().resolve(kernel));
        return 0;
      case "gone":
        new GoneKernels(engine, console).run();
        return 0;
      default:
        console.errln("hook debian: unknown stage " + stage);
        return ExitCode.USAGE;
    }
  }

  /**
   * The image is unpacked over the same release (an in-place upgrade or a reinstall): its new files
   * are not there yet, so the rebuild waits for postinst, which turns the note into a "kernel
   * upgraded" event (teardown and rebuild in one plan).
   */
  private void preinst(String kernel, UpgradeNotes notes) {
    if (maintainerAction().equals("install")) {
      return;
    }
    try {
      notes.note(kernel);
    } catch (IOException e) {
      say("WARNING: preparing the modules of kernel " + kernel + " for its upgrade failed.");
    }
  }

  private void removeModules(String kernel) {
    if (!engine.run(Engine.Request.of(new Event.KernelRemoved(kernel))).succeeded()) {
      say("WARNING: removing the modules of kernel " + kernel + " failed.");
    }
  }

  /** Runs a build event for the kernel and applies the exit policy. */
  private int build(String kernel, Event event) {
    Path include = engine.locations().installTree().resolve(kernel).resolve("build/include");
    if (!Files.isDirectory(include)) {
      say(
          "kernel "
              + kernel
              + " has no headers ("
              + include
              + "): its modules will be built when linux-headers-"
              + kernel
              + " is installed.");
      engine.prebuiltMissing(kernel).forEach(this::say);
      return 0;
    }
    EngineResult r = engine.run(Engine.Request.of(event));
    DebianExitPolicy.Verdict v = DebianExitPolicy.judge(kernel, r, engine::bootCriticalModules);
    v.lines().forEach(console::println);
    return v.status();
  }

  /** The first word of DEB_MAINT_PARAMS (configure, install, upgrade...), empty by hand. */
  private String maintainerAction() {
    String params = env.getOrDefault("DEB_MAINT_PARAMS", "").strip();
    int space = params.indexOf(' ');
    return space < 0 ? params : params.substring(0, space);
  }

  private void say(String message) {
    console.println("dkms: " + message);
  }
}
