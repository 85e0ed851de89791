package dev.jdkms.core.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a package manager tells the core about one change. A transaction is a batch of these; the
 * {@link Planner} turns the batch into one {@link Plan}. Every event is idempotent: replaying it
 * after the work is done plans nothing.
 */
public sealed interface Event {
  /** A kernel was installed ({@code image}: its vmlinuz when the host knows it). */
  record KernelAdded(String kernel, Optional<Path> image) implements Event {
    public KernelAdded {
      Objects.requireNonNull(kernel);
      Objects.requireNonNull(image);
    }
  }

  /** Headers for a kernel were installed (modules can be built for it from now on). */
  record HeadersAdded(String kernel) implements Event {}

  /**
   * The kernel package was reinstalled or upgraded with the same release string: its modules were
   * built against files that changed, so every AUTOINSTALL module is rebuilt.
   */
  record KernelUpgraded(String kernel) implements Event {}

  /** A kernel is being removed: every module built for it is uninstalled and unbuilt. */
  record KernelRemoved(String kernel) implements Event {}

  /**
   * A module's source appeared in {@code /usr/src/M-V} (a new package, or an upgrade): it is added
   * to the tree and, when it is the highest AUTOINSTALL version, built and installed for every
   * kernel that has headers.
   */
  record ModuleAdded(String module, String version) implements Event {}

  /**
   * A module package was configured and chose the kernels itself (Debian's {@code common.postinst}:
   * the running and the newest kernel, by dkms 3.4's rules): M/V is added like {@link ModuleAdded},
   * but built and installed only on {@code kernels}.
   */
  record ModuleAddedFor(String module, String version, List<String> kernels) implements Event {
    public ModuleAddedFor {
      kernels = List.copyOf(kernels);
    }
  }

  /**
   * A module version is going away: it is uninstalled and unbuilt everywhere and removed from the
   * tree; where it was installed, the highest remaining AUTOINSTALL version takes its place.
   */
  record ModuleRemoved(String module, String version) implements Event {}

  /** Boot-time catch-up: whatever the running kernel is missing is built and installed. */
  record BootCatchUp(String kernel) implements Event {}

  /** The kernel this event is about, or empty for module events. */
  default Optional<String> aboutKernel() {
    if (this instanceof KernelAdded e) {
      return Optional.of(e.kernel());
    } else if (this instanceof HeadersAdded e) {
      return Optional.of(e.kernel());
    } else if (this instanceof KernelUpgraded e) {
      return Optional.of(e.kernel());
    } else if (this instanceof KernelRemoved e) {
      return Optional.of(e.kernel());
    } else if (this instanceof BootCatchUp e) {
      return Optional.of(e.kernel());
    }
    return Optional.empty();
  }
}
