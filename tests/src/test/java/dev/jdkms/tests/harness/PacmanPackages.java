package dev.jdkms.tests.harness;

import dev.jdkms.pacman.format.PackageBuilder;
import dev.jdkms.pacman.format.PkgInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The pacman packages the pacman tests install, written on the host with jdkms's own {@link
 * PackageBuilder} into {@code tests/target/pacman-packages/} (visible inside every sandbox at the
 * same path). There is no Arch package source on Debian, so these stand in for Arch's:
 *
 * <ul>
 *   <li>{@code host-base}: no files; it {@code provides} what the host already has (sh, bash, a
 *       Java 17 runtime under Arch's virtual name, gcc, make, kmod, patch), so that jdkms's
 *       dependencies are met in the sandbox's empty pacman database. A test fixture only.
 *   <li>{@code linux} and {@code linux-headers}: a real Debian kernel release in Arch's layout and
 *       split, {@code /usr/lib/modules/K/{vmlinuz,pkgbase,kernel/,modules.*}} (depmod's files for a
 *       kernel without modules, made with {@code depmod -b} in a scratch directory) and {@code
 *       /usr/lib/modules/K/build/}. {@code build/} is a copy of the host's {@code
 *       /usr/src/linux-headers-K} (its Makefile includes the shared {@code -common} tree, which
 *       stays where Debian put it; relative links are made absolute). {@code vmlinuz} is a
 *       placeholder file, not a kernel image: nothing here boots it, and jdkms only passes its path
 *       to an initramfs generator (none is installed).
 *   <li>{@code NAME-dkms}: a module source in {@code /usr/src/NAME-VERSION} made from a fixture
 *       directory, depending on {@code dkms} (provided by jdkms), as Arch's *-dkms packages do.
 * </ul>
 */
public final class PacmanPackages {
  private static final long TIME = 1_767_225_600L;

  private final Path dir;

  public PacmanPackages() {
    this.dir = Repo.root().resolve("tests/target/pacman-packages");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jdkms package the reactor built (pacman-hook/target/jdkms-*-any.pkg.tar.zst). */
  public static Path jdkms() {
    Path target = Repo.root().resolve("pacman-hook/target");
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("jdkms-.*-any\\.pkg\\.tar\\.zst"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no jdkms package in " + target));
    } catch (IOException e) {
      throw new UncheckedIOException("build pacman-hook first (mvn package): " + target, e);
    }
  }

  public Path hostBase() {
    PkgInfo info =
        PkgInfo.of("host-base", "1-1", "any")
            .withDescription("test fixture: what the Debian host provides outside pacman")
            .withProvides(
                "sh",
                "bash",
                "java-runtime-headless=17",
                "gcc",
                "make",
                "kmod",
                "patch",
                "coreutils")
            .withBuildDate(TIME);
    return write(
        new PackageBuilder(info)
            .file(
                "usr/share/doc/host-base/README",
                0644,
                "jdkms test fixture: provides the host's own tools to the sandbox's pacman.\n"));
  }

  /**
   * An Arch-style {@code linux} package for kernel release {@code k}: the image and the module
   * tree's files, no headers (Arch ships those in {@code linux-headers}).
   */
  public Path linux(String k, int pkgrel) {
    String m = "usr/lib/modules/" + k;
    PackageBuilder b =
        new PackageBuilder(kernelInfo("linux", k, pkgrel, "the image and module tree of"))
            .file(m + "/vmlinuz", 0644, "placeholder for the image of " + k + "\n")
            .file(m + "/pkgbase", 0644, "linux\n")
            .directory(m + "/kernel", 0755);
    try {
      // Arch's package carries depmod's files (jdkms, as upstream, runs depmod only for kernels
      // that have modules.dep); made here by depmod -b in a scratch directory.
      Path scratch = Files.createTempDirectory("jdkms-pacman-depmod");
      try {
        Path dir = Files.createDirectories(scratch.resolve("lib/modules/" + k + "/kernel"));
        for (String f : List.of("modules.order", "modules.builtin", "modules.builtin.modinfo")) {
          Files.writeString(dir.resolveSibling(f), "");
        }
        Process depmod =
            new ProcessBuilder("depmod", "-b", scratch.toString(), k).inheritIO().start();
        if (depmod.waitFor() != 0) {
          throw new IOException("depmod -b " + scratch + " " + k + " failed");
        }
        try (Stream<Path> files = Files.list(dir.getParent())) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            b.file(m + "/" + f.getFileName(), 0644, f);
          }
        }
      } finally {
        try (Stream<Path> walk = Files.walk(scratch)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return write(b);
  }

  /**
   * {@code linux-headers} for {@code k}: {@code /usr/lib/modules/K/build/}, a real headers tree.
   */
  public Path linuxHeaders(String k, int pkgrel) {
    PackageBuilder b =
        new PackageBuilder(
            kernelInfo("linux-headers", k, pkgrel, "Debian's headers in Arch's layout for"));
    try {
      copyTree(b, "usr/lib/modules/" + k + "/build", Path.of("/usr/src/linux-headers-" + k));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(b);
  }

  private static PkgInfo kernelInfo(String name, String k, int pkgrel, String what) {
    return PkgInfo.of(name, k.replace('-', '_') + "-" + pkgrel, Kernels.arch())
        .withDescription("test fixture: " + what + " " + k)
        .withBuildDate(TIME);
  }

  /**
   * {@code NAME-dkms}: the fixture {@code fixture} (e.g. jdkms_hello-1.0) as module {@code name}
   * version {@code version} in /usr/src/NAME-VERSION, the fixture's module name replaced by {@code
   * name} in dkms.conf and Makefile and its version by {@code version}; {@code extra} is appended
   * to dkms.conf (e.g. to change the sources of a pkgrel).
   */
  public Path module(String fixture, String name, String version, int pkgrel, String extra) {
    String fixtureName = fixture.substring(0, fixture.lastIndexOf('-'));
    String fixtureVersion = fixture.substring(fixture.lastIndexOf('-') + 1);
    PkgInfo info =
        PkgInfo.of(name + "-dkms", version.replace('-', '_') + "-" + pkgrel, "any")
            .withDescription("test fixture: module " + name + "/" + version + " for DKMS")
            .withDepends("dkms")
            .withBuildDate(TIME);
    String src = "usr/src/" + name + "-" + version;
    PackageBuilder b = new PackageBuilder(info);
    try (Stream<Path> files = Files.list(Repo.fixture(fixture))) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8).replace(fixtureName, name);
        String file = f.getFileName().toString();
        if (file.equals("dkms.conf")) {
          text =
              text.replace(
                      "PACKAGE_VERSION=\"" + fixtureVersion + "\"",
                      "PACKAGE_VERSION=\"" + version + "\"")
                  + extra;
        }
        b.file(src + "/" + file, 0644, text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(b);
  }

  /**
   * {@code jdkms-test-jre}: {@code /usr/lib/jvm/jdkms-test-jre/bin/java}, a wrapper around the
   * host's {@code realJava}, with a {@code release} file claiming Java 99, so that jdkms's Java
   * choice prefers it.
   */
  public Path javaRuntime(Path realJava) {
    String home = "usr/lib/jvm/jdkms-test-jre";
    PkgInfo info =
        PkgInfo.of("jdkms-test-jre", "99-1", "any")
            .withDescription("test fixture: a Java runtime that claims to be Java 99")
            .withBuildDate(TIME);
    return write(
        new PackageBuilder(info)
            .file(home + "/bin/java", 0755, "#!/bin/sh\nexec '" + realJava + "' \"$@\"\n")
            .file(home + "/release", 0644, "JAVA_VERSION=\"99\"\n"));
  }

  private Path write(PackageBuilder b) {
    try {
      return b.write(dir.resolve(b.info().fileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Like PackageBuilder.tree, with relative links made absolute: the tree moves to another depth.
  private static void copyTree(PackageBuilder b, String path, Path from) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(from)) {
      all = walk.sorted().toList();
    }
    for (Path p : all) {
      String rel = from.relativize(p).toString();
      String target = rel.isEmpty() ? path : path + "/" + rel;
      if (Files.isSymbolicLink(p)) {
        Path link = Files.readSymbolicLink(p);
        b.symlink(
            target,
            link.isAbsolute()
                ? link.toString()
                : p.getParent().resolve(link).normalize().toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        b.directory(target, 0755);
      } else {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        b.file(target, perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644, p);
      }
    }
  }
}
