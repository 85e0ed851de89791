package dev.jdkms.hooks.debian;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.plan.Event;
import dev.jdkms.hooks.Engine;
import dev.jdkms.hooks.EngineResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /usr/lib/dkms/common.postinst NAME VERSION [TARBALL_ROOT] [ARCH] [UPGRADE]}: what the
 * postinst of every {@code *-dkms} package runs on configure (dh_dkms). The module is registered
 * (from {@code TARBALL_ROOT/NAME-VERSION.dkms.tar.gz} when there is one) and built and installed
 * for the kernels {@link KernelChoice} picks, as one engine transaction: a registration of the same
 * version is torn down and rebuilt in that plan, builds run side by side, depmod and the initramfs
 * step run once per kernel. /etc/dkms/no-autoinstall turns all of this off.
 *
 * <p>Exit policy (dkms 3.4's): the package is reported as not configured (the engine's status) when
 * its module failed for a kernel, after the other kernels were tried; a module that BUILD_EXCLUSIVE
 * rules out is skipped, not failed; other modules' failures are not this package's.
 */
public final class CommonPostinst {
  // common.postinst's own statuses (upstream's dkms_common.postinst), not dkms's
  private static final int USAGE_STATUS = 1;
  private static final int TARBALL_LOAD_FAILED = 2;

  /** Loads a DKMS tarball into the tree (registration only: {@code dkms ldtarball}). */
  public interface TarballLoader {
    int remove(String module, String version) throws IOException;

    int load(Path tarball) throws IOException;
  }

  private final Engine engine;
  private final Console console;
  private final TarballLoader loader;
  private final Path etcDkms;
  private final String running;

  public CommonPostinst(
      Engine engine, Console console, TarballLoader loader, Path etcDkms, String running) {
    this.engine = engine;
    this.console = console;
    this.loader = loader;
    this.etcDkms = etcDkms;
    this.running = running;
  }

  public int run(List<String> args) throws IOException {
    String name = arg(args, 0);
    String version = arg(args, 1);
    String tarballRoot = arg(args, 2);
    String arch = arg(args, 3);
    boolean upgrade = !arg(args, 4).isEmpty();
    if (name.isEmpty() || version.isEmpty()) {
      console.println(
          "Usage: common.postinst NAME VERSION [TARBALL_ROOT] [ARCH] [UPGRADE]  (NAME and VERSION"
              + " are required)");
      return USAGE_STATUS;
    }
    String mv = name + "/" + version;
    if (Files.exists(etcDkms.resolve("no-autoinstall"))) {
      say("/etc/dkms/no-autoinstall exists: " + mv + " is not registered or built.");
      return 0;
    }
    Engine.Locations at = engine.locations();
    List<Event> events = new ArrayList<>();
    boolean registered = Files.exists(at.dkmsTree().resolve(name).resolve(version));
    Path tarball = Path.of(tarballRoot).resolve(name + "-" + version + ".dkms.tar.gz");
    if (!tarballRoot.isEmpty() && Files.isRegularFile(tarball)) {
      if (registered) {
        say("removing the previous registration of " + mv);
        loader.remove(name, version);
      }
      if (loader.load(tarball) != 0) {
        console.println("");
        say("could not load the DKMS tarball " + tarball + " (damaged, or made for another");
        console.println("      distribution or dkms version).");
        return TARBALL_LOAD_FAILED;
      }
    } else if (registered) {
      // one version of a module at a time: the same version again is torn down and rebuilt
      events.add(new Event.ModuleRemoved(name, version));
    }
    List<String> kernels = kernels(mv, arch, at, upgrade);
    events.add(new Event.ModuleAddedFor(name, version, kernels));
    EngineResult r = engine.run(new Engine.Request(events, List.of(), List.of(), false));
    return judge(mv, r);
  }

  private List<String> kernels(String mv, String arch, Engine.Locations at, boolean upgrade)
      throws IOException {
    boolean all = !engine.setting("autoinstall_all_kernels").isEmpty();
    KernelChoice.Chosen chosen =
        new KernelChoice(at.installTree(), at.boot()).choose(running, all, upgrade);
    if (chosen.runningMissing()) {
      say("the running kernel " + running + " is not installed here (a chroot or a build host?).");
    }
    List<String> out = new ArrayList<>();
    for (String k : chosen.kernels()) {
      if (k.contains("BOOT")) {
        say(k + " is a BOOT kernel variant: " + mv + " is not built for it.");
      } else if (!Files.exists(at.installTree().resolve(k).resolve("build/include"))) {
        say(
            "kernel "
                + k
                + " has no headers: "
                + mv
                + " is built for it when linux-headers-"
                + k
                + " is installed.");
      } else {
        out.add(k);
      }
    }
    if (chosen.kernels().isEmpty()) {
      say("WARNING: no kernel headers found: " + mv + " is not built now. It is built");
      console.println(
          "      for a kernel when its headers are installed (the running kernel " + running + ":");
      console.println("      linux-headers-" + running + ").");
    } else if (!out.isEmpty()) {
      say(
          mv
              + ": kernel(s) "
              + String.join(" ", out)
              + (arch.isEmpty() ? "" : ", architecture " + arch));
    }
    return out;
  }

  private int judge(String mv, EngineResult r) {
    if (r.succeeded()) {
      return 0;
    }
    Set<String> failedOn = new LinkedHashSet<>();
    r.failures().stream().filter(f -> f.module().equals(mv)).forEach(f -> failedOn.add(f.kernel()));
    if (!failedOn.isEmpty()) {
      console.println("");
      say(mv + " failed for kernel(s) " + String.join(" ", failedOn) + ".");
      return r.status();
    }
    // Only other modules failed: not this package's failure. Nothing named: the run failed.
    return r.failures().isEmpty() ? r.status() : 0;
  }

  private void say(String line) {
    console.println("dkms: " + line);
  }

  private static String arg(List<String> args, int i) {
    return i < args.size() ? args.get(i) : "";
  }
}
