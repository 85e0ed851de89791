package dev.jdkms.hooks;

import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.plan.Event;
import java.nio.file.Path;
import java.util.List;

/**
 * What a package-manager hook asks of the core: where things are, one transaction, and which
 * modules are boot-critical. The hooks depend on this and not on the core's sessions, so that their
 * translation and exit policies are tested without root ({@link CoreEngine} is the real one).
 */
public interface Engine {
  /** framework.conf's {@code dkms_tree} and {@code install_tree}, and the boot directory. */
  record Locations(Path dkmsTree, Path installTree, Path boot) {
    public static Locations standard() {
      HostPaths h = HostPaths.REAL;
      return new Locations(h.dkmsTree(), h.installTree(), h.boot());
    }
  }

  /**
   * One transaction: {@code events}, plus the files a package manager reports as installed and
   * removed (the engine maps them to events). {@code verbose} shows the make commands.
   */
  record Request(
      List<Event> events, List<String> installed, List<String> removed, boolean verbose) {
    public Request {
      events = List.copyOf(events);
      installed = List.copyOf(installed);
      removed = List.copyOf(removed);
    }

    public static Request of(Event event) {
      return new Request(List.of(event), List.of(), List.of(), false);
    }
  }

  Locations locations();

  /** A framework.conf setting ({@code autoinstall_all_kernels}, {@code source_tree}...), or "". */
  String setting(String name);

  /** Runs the transaction; the engine's console output (and summary) is printed as it goes. */
  EngineResult run(Request request);

  /**
   * {@code M/V} of the registered AUTOINSTALL modules that say REMAKE_INITRD=yes for {@code
   * kernel}: the policy's fallback when the engine failed before naming any module.
   */
  List<String> bootCriticalModules(String kernel);

  /**
   * For a kernel that appears: a line per module that prebuilt packages provide for other kernels
   * but not for this one, when it cannot be built here either (a hook that stops before the engine
   * runs, for a kernel without headers, prints them).
   */
  default List<String> prebuiltMissing(String kernel) {
    return List.of();
  }
}
