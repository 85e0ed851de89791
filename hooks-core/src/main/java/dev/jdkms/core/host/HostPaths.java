package dev.jdkms.core.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The places on the host that dkms reads or changes outside its framework settings: {@code
 * /etc/dkms}, the default trees ({@code /var/lib/dkms}, {@code /usr/src}, {@code /lib/modules}),
 * {@code /boot}, {@code /proc}, {@code /sys}, {@code /tmp}, {@code /usr/share/dkms}, {@code
 * /usr/lib} (where Debian keeps sign-file) and the os-release files. The core takes them from here
 * rather than from literals, so that tests run an action against a fake host in a temporary
 * directory ({@link #under}) without root; a running {@code dkms} uses {@link #REAL}. The trees are
 * defaults: framework.conf and the command line still move them ({@code dkms_tree}, {@code
 * source_tree}, {@code install_tree}).
 */
public record HostPaths(
    Path etcDkms,
    Path dkmsTree,
    Path sourceTree,
    Path installTree,
    Path boot,
    Path proc,
    Path sys,
    Path tmp,
    Path dkmsShare,
    Path usrLib,
    List<Path> osRelease) {

  /** The host itself. */
  public static final HostPaths REAL = under(Path.of("/"));

  public HostPaths {
    Objects.requireNonNull(etcDkms);
    Objects.requireNonNull(dkmsTree);
    Objects.requireNonNull(sourceTree);
    Objects.requireNonNull(installTree);
    Objects.requireNonNull(boot);
    Objects.requireNonNull(proc);
    Objects.requireNonNull(sys);
    Objects.requireNonNull(tmp);
    Objects.requireNonNull(dkmsShare);
    Objects.requireNonNull(usrLib);
    osRelease = List.copyOf(osRelease);
  }

  /** Every place at its usual path under {@code root} (a fake host for tests). */
  public static HostPaths under(Path root) {
    return new HostPaths(
        root.resolve("etc/dkms"),
        root.resolve("var/lib/dkms"),
        root.resolve("usr/src"),
        root.resolve("lib/modules"),
        root.resolve("boot"),
        root.resolve("proc"),
        root.resolve("sys"),
        root.resolve("tmp"),
        root.resolve("usr/share/dkms"),
        root.resolve("usr/lib"),
        // upstream's order: /etc first, then /usr/lib
        List.of(root.resolve("etc/os-release"), root.resolve("usr/lib/os-release")));
  }

  /** {@code /etc/dkms/no-autoinstall}: its presence disables automatic installation. */
  public Path noAutoinstall() {
    return etcDkms.resolve("no-autoinstall");
  }

  /** {@code /usr/share/dkms/modules_to_force_install}: modules a distribution always forces. */
  public Path forcedModules() {
    return dkmsShare.resolve("modules_to_force_install");
  }

  /**
   * {@code /usr/lib/jdkms/prebuilt}: the manifests of prebuilt module packages ({@code K/MODULE}),
   * which say what jdkms must not build, install or delete.
   */
  public Path prebuiltManifests() {
    return usrLib.resolve("jdkms/prebuilt");
  }

  /** {@code /boot/System.map-K}, which depmod uses when present. */
  public Path systemMap(String kernel) {
    return boot.resolve("System.map-" + kernel);
  }

  /** {@code /proc/sys/kernel/osrelease}: the running kernel's release. */
  public Path runningRelease() {
    return proc.resolve("sys/kernel/osrelease");
  }

  /** {@code /var/lib/dkms/mok.key}: upstream's default signing key, whatever dkms_tree is. */
  public Path mokKey() {
    return dkmsTree.resolve("mok.key");
  }

  /** {@code /var/lib/dkms/mok.pub}: upstream's default certificate. */
  public Path mokCertificate() {
    return dkmsTree.resolve("mok.pub");
  }

  /** {@code /proc/self/status} of this process (its uid). */
  public Path selfStatus() {
    return proc.resolve("self/status");
  }

  /** {@code /proc/PID/status} of another process. */
  public Path processStatus(long pid) {
    return proc.resolve(Long.toString(pid)).resolve("status");
  }

  /** {@code /proc/meminfo}: MemAvailable, what the kernel can give without swapping. */
  public Path meminfo() {
    return proc.resolve("meminfo");
  }

  /**
   * {@code /proc/self/cgroup}: the cgroups of this process (v2 {@code 0::/path}, v1 per
   * controller).
   */
  public Path selfCgroup() {
    return proc.resolve("self/cgroup");
  }

  /** {@code /sys/fs/cgroup}: where the cgroup hierarchies are mounted. */
  public Path cgroupFs() {
    return sys.resolve("fs/cgroup");
  }

  /** {@code /proc/PID/environ} of a process (NUL-separated NAME=VALUE). */
  public Path processEnviron(long pid) {
    return proc.resolve(Long.toString(pid)).resolve("environ");
  }
}
