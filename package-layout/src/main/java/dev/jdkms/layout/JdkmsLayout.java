package dev.jdkms.layout;

import dev.jdkms.layout.LayoutEntry.Format;
import dev.jdkms.layout.LayoutEntry.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the jdkms packages install: the one list the .deb (apt-hook), rpm (rpm-plugin) and pacman
 * (pacman-hook) writers read. Each entry names its source in the checkout, so a file is never
 * copied between modules; the package metadata (control files, scriptlets, .PKGINFO relations, rpm
 * triggers) stays with each writer.
 *
 * <p>Per host: Debian's kernel hooks under {@code /etc/kernel} are only in the .deb; the boot-time
 * unit only in the rpm; the alpm hooks and their handler only in the pacman package, where {@code
 * dkms} is {@code /usr/bin/dkms} (Arch has no separate sbin), and which has neither kernel-install
 * plugin nor {@code common.postinst} (Arch's *-dkms packages use the alpm hooks).
 */
public final class JdkmsLayout {
  private JdkmsLayout() {}

  private static final Set<Format> ALL = EnumSet.allOf(Format.class);
  private static final Set<Format> DEB = EnumSet.of(Format.DEB);
  private static final Set<Format> RPM = EnumSet.of(Format.RPM);
  private static final Set<Format> PACMAN = EnumSet.of(Format.PACMAN);
  private static final Set<Format> DEB_RPM = EnumSet.of(Format.DEB, Format.RPM);
  private static final Set<Format> RPM_PACMAN = EnumSet.of(Format.RPM, Format.PACMAN);

  private static final String CLI = "dkms-cli/";
  private static final String DEB_ROOT = "apt-hook/src/deb/root";
  private static final String KERNEL_INSTALL = "kernel-install-plugin/src/main/dist/root";
  private static final String ALPM = "pacman-hook/src/main/alpm/";
  private static final String LAUNCHER = "../lib/jdkms/bin/dkms";
  private static final String JDKMS_LAUNCHER = "../lib/jdkms/bin/jdkms";

  /** Every entry of every package, directories before what they hold. */
  public static final List<LayoutEntry> ENTRIES =
      List.of(
          dir("/usr/lib/jdkms", ALL),
          dir("/usr/lib/jdkms/bin", ALL),
          dir("/usr/lib/jdkms/lib", ALL),
          dir("/usr/lib/jdkms/hooks", ALL),
          dir("/usr/lib/dkms", ALL),
          dir("/etc/dkms", ALL),
          dir("/etc/dkms/framework.conf.d", ALL),
          // The .deb's postinst makes it (java-setup's caches live beside the tree).
          dir("/var/lib/dkms", RPM_PACMAN),
          // the drop-in dkms
          file("/usr/lib/jdkms/lib/dkms.jar", 0644, CLI + "target/dkms.jar", ALL),
          file("/usr/lib/jdkms/bin/dkms", 0755, CLI + "src/main/dist/bin/dkms", ALL),
          file("/usr/lib/jdkms/bin/jdkms", 0755, CLI + "src/main/dist/bin/jdkms", ALL),
          link("/usr/sbin/dkms", LAUNCHER, DEB_RPM),
          link("/usr/bin/dkms", LAUNCHER, PACMAN),
          // jdkms's own commands (fleet, transaction, kabi) on PATH, as ./run install puts them
          link("/usr/bin/jdkms", JDKMS_LAUNCHER, ALL),
          file(
              "/usr/lib/dkms/dkms_autoinstaller",
              0755,
              CLI + "src/main/dist/lib/dkms_autoinstaller",
              ALL),
          debRoot(Kind.FILE, "/usr/lib/dkms/common.postinst", 0755, DEB_RPM),
          debRoot(Kind.FILE, "/usr/lib/jdkms/hooks/java-setup", 0755, ALL),
          debRoot(Kind.CONFFILE, "/etc/dkms/framework.conf", 0644, ALL),
          debRoot(Kind.FILE, "/usr/share/bash-completion/completions/dkms", 0644, ALL),
          debRoot(Kind.FILE, "/usr/share/man/man8/dkms.8", 0644, ALL),
          debRoot(Kind.FILE, "/usr/share/man/man8/jdkms.8", 0644, ALL),
          // Debian's kernel hooks (run-parts): stubs that exec jdkms hook debian
          debRoot(Kind.CONFFILE, "/etc/kernel/preinst.d/dkms", 0755, DEB),
          debRoot(Kind.CONFFILE, "/etc/kernel/postinst.d/dkms", 0755, DEB),
          debRoot(Kind.CONFFILE, "/etc/kernel/header_postinst.d/dkms", 0755, DEB),
          debRoot(Kind.CONFFILE, "/etc/kernel/prerm.d/dkms", 0755, DEB),
          debRoot(Kind.CONFFILE, "/etc/kernel/postrm.d/dkms", 0755, DEB),
          // systemd: kernel-install's plugin and the boot-time catch-up (not enabled)
          kernelInstall("/usr/lib/kernel/install.d/40-jdkms.install", 0755, DEB_RPM),
          kernelInstall("/usr/lib/systemd/system/jdkms.service", 0644, RPM),
          // alpm: the hooks and their NeedsTargets handler
          alpm("hooks/60-jdkms-java.hook", 0644),
          alpm("hooks/69-jdkms-remove.hook", 0644),
          alpm("hooks/69-jdkms-upgrade.hook", 0644),
          alpm("hooks/70-jdkms-install.hook", 0644),
          alpm("scripts/jdkms", 0755));

  /** The entries {@code format}'s package ships, in {@link #ENTRIES}' order. */
  public static List<LayoutEntry> entries(Format format) {
    return ENTRIES.stream().filter(e -> e.in(format)).toList();
  }

  /** The absolute paths of {@code format}'s conffiles, sorted. */
  public static List<String> conffiles(Format format) {
    return entries(format).stream()
        .filter(e -> e.kind() == Kind.CONFFILE)
        .map(LayoutEntry::path)
        .sorted()
        .toList();
  }

  /**
   * The directories above {@code format}'s entries that it does not declare itself: the base
   * system's ({@code /usr}, {@code /usr/share/man}, ...). The rpm must not own them; the .deb and
   * the pacman package list them as tar archives do, mode 755.
   */
  public static SortedSet<String> unownedParents(Format format) {
    SortedSet<String> parents = new TreeSet<>();
    List<String> declared = new ArrayList<>();
    for (LayoutEntry e : entries(format)) {
      if (e.kind() == Kind.DIRECTORY) {
        declared.add(e.path());
      }
      for (int slash = e.path().lastIndexOf('/');
          slash > 0;
          slash = e.path().lastIndexOf('/', slash - 1)) {
        parents.add(e.path().substring(0, slash));
      }
    }
    parents.removeAll(declared);
    return parents;
  }

  private static LayoutEntry dir(String path, Set<Format> formats) {
    return new LayoutEntry(path, Kind.DIRECTORY, 0755, null, formats);
  }

  private static LayoutEntry file(String path, int mode, String source, Set<Format> formats) {
    return new LayoutEntry(path, Kind.FILE, mode, source, formats);
  }

  private static LayoutEntry link(String path, String target, Set<Format> formats) {
    return new LayoutEntry(path, Kind.SYMLINK, 0777, target, formats);
  }

  private static LayoutEntry debRoot(Kind kind, String path, int mode, Set<Format> formats) {
    return new LayoutEntry(path, kind, mode, DEB_ROOT + path, formats);
  }

  private static LayoutEntry kernelInstall(String path, int mode, Set<Format> formats) {
    return new LayoutEntry(path, Kind.FILE, mode, KERNEL_INSTALL + path, formats);
  }

  private static LayoutEntry alpm(String rel, int mode) {
    String path = "/usr/share/libalpm/" + rel;
    return new LayoutEntry(path, Kind.FILE, mode, ALPM + rel, PACMAN);
  }
}
