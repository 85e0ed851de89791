package dev.jdkms.tests.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.pacman.format.PackageBuilder;
import dev.jdkms.pacman.format.PkgInfo;
import dev.jdkms.tests.harness.DkmsUnderTest;
import dev.jdkms.tests.harness.Kernels;
import dev.jdkms.tests.harness.Repo;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.redline_rpm.Builder;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Os;
import org.redline_rpm.header.RpmType;
import org.redline_rpm.payload.Directive;

/**
 * The rpm and pacman packages of the fleet's build, installed by Debian's real dnf and pacman in
 * sandboxes of this host, next to a stand-in of the kernel they require, with K's module directory:
 * an rpm providing {@code kernel-uname-r = K} as Fedora's kernel-core does (written with redline:
 * rpmbuild refuses a Debian release, with two hyphens, as a Provides version; Fedora's has one) and
 * a {@code linux-FLAVOUR} pacman package. The packages come from the farm's one build ({@code
 * --format deb,rpm,pacman}); nothing is compiled here.
 */
final class FleetOtherFormats {
  private static final String RPMS = "/var/tmp/kmodrepo";
  private static final String PACMAN_REPO = "/var/tmp/pacrepo";

  /** {@code pacman -Qi} on the sandbox's database (for a shell pipeline). */
  static final String PACMAN_QI =
      "pacman --config /var/tmp/pacman/pacman.conf --dbpath /var/tmp/pacman/db -Qi";

  private static final String PACMAN =
      "pacman --noconfirm --config /var/tmp/pacman/pacman.conf --root / --dbpath"
          + " /var/tmp/pacman/db --cachedir /var/tmp/pacman/cache --logfile"
          + " /var/tmp/pacman/pacman.log --hookdir /usr/share/libalpm/hooks ";

  private FleetOtherFormats() {}

  /** A repository of K's stand-in kernel and the farm's rpms, dnf configured for it. */
  static void prepareDnf(Sandbox sb, Path repo, Path scratch, String k) throws IOException {
    Path kernel = kernelRpm(scratch, k);
    String rb =
        "rpmbuild --quiet --define '_topdir /var/tmp/rpmtop' --define '_rpmdir "
            + RPMS
            + "' --define '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm' ";
    sb.sh(
            String.join(
                "\n",
                "set -e",
                "rm -rf /usr/lib/modules/" + k,
                "mkdir -p " + RPMS + " /var/tmp/rpmtop /etc/dnf",
                rb + "-bb " + Repo.root().resolve("tests/fixtures/rpm/host-base.spec"),
                "cp " + repo + "/kmod-*.rpm " + kernel + " " + RPMS + "/",
                "createrepo_c -q " + RPMS,
                "echo '%_dbpath /var/lib/rpm' > /root/.rpmmacros",
                "cat > /etc/dnf/dnf.conf <<'EOF'",
                "[main]\ngpgcheck=0\nreposdir=/dev/null\ninstall_weak_deps=False",
                "[fleet]\nname=fleet\nbaseurl=file://" + RPMS + "\ngpgcheck=0\nmetadata_expire=0",
                "EOF",
                "rpm --initdb",
                "dnf -y -q --releasever=1 install host-base"))
        .requireSuccess();
  }

  /** {@code kernel-fleet-K}: K's (empty) module indexes, providing {@code kernel-uname-r = K}. */
  private static Path kernelRpm(Path dir, String k) throws IOException {
    Files.createDirectories(dir);
    Path empty = Files.writeString(dir.resolve("empty"), "");
    Builder b = new Builder();
    b.setPackage("kernel-fleet-" + k, "1", "1");
    b.setType(RpmType.BINARY);
    b.setPlatform(Architecture.NOARCH, Os.LINUX);
    b.setSummary("test fixture: kernel " + k + " as far as kmod packages need it");
    b.setDescription("test fixture");
    b.setLicense("Apache-2.0");
    b.setGroup("System Environment/Kernel");
    b.setBuildHost("localhost");
    b.addProvides("kernel-uname-r", k);
    try {
      for (String f : List.of("modules.order", "modules.builtin", "modules.builtin.modinfo")) {
        b.addFile(
            "/usr/lib/modules/" + k + "/" + f,
            empty.toFile(),
            0644,
            0755,
            Directive.NONE,
            "root",
            "root",
            false);
      }
      return dir.resolve(b.build(dir.toFile()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Result dnf(Sandbox sb, String args) {
    return sb.sh("dnf -y --releasever=1 " + args);
  }

  /**
   * What a module package for Debian kernel {@code k} depends on: {@code
   * linux-FLAVOUR=PKGVER-PKGREL} read from the release as from an Arch one ({@code 6.1.0-57-amd64}:
   * {@code linux-amd64=6.1.0-57}).
   */
  static String kernelDepend(String k) {
    Matcher m = Pattern.compile("^([0-9.]+)-([0-9]+)-([a-z0-9]+)$").matcher(k);
    assertThat(m.matches()).as("a Debian kernel release: " + k).isTrue();
    return "linux-" + m.group(3) + "=" + m.group(1) + "-" + m.group(2);
  }

  /** pacman's own database and configuration in the sandbox, and K's stand-in kernel package. */
  static Path preparePacman(Sandbox sb, Path dir, String k) throws IOException {
    String[] depend = kernelDepend(k).split("=");
    PkgInfo info =
        PkgInfo.of(depend[0], depend[1], Kernels.arch())
            .withDescription("test fixture: the kernel package of " + k)
            .withBuildDate(1_767_225_600L);
    String mod = "usr/lib/modules/" + k;
    Path linux =
        new PackageBuilder(info)
            .file(mod + "/modules.order", 0644, "")
            .file(mod + "/modules.builtin", 0644, "")
            .file(mod + "/modules.builtin.modinfo", 0644, "")
            .directory(mod + "/kernel", 0755)
            .write(Files.createDirectories(dir).resolve(info.fileName()));
    sb.sh(
            String.join(
                "\n",
                "set -e",
                "rm -rf /usr/lib/modules/" + k,
                "mkdir -p /var/tmp/pacman/db /var/tmp/pacman/cache /usr/share/libalpm/hooks",
                "printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\n"
                    + "LocalFileSigLevel = Never\\n' > /var/tmp/pacman/pacman.conf"))
        .requireSuccess();
    return linux;
  }

  static Result pacman(Sandbox sb, String args) {
    return sb.sh(PACMAN + args);
  }

  /**
   * dnf installs the metapackages (which bring K2's packages, which bring K2), the signed modules
   * are in place and indexed; removing them leaves nothing. The rpms pass {@code rpm -K}.
   */
  static void dnfInstallsAndRemoves(Sandbox sb, Path repo, Path scratch, String k2, String keyId)
      throws IOException {
    prepareDnf(sb, repo, scratch, k2);
    DkmsUnderTest.installInto(sb);
    withoutBuildTools(sb);
    Result check = sb.sh("rpm -K --nosignature " + repo + "/kmod-*.rpm | grep -vc 'digests OK'");
    assertThat(check.stdout()).as(check.describe()).isEqualTo("0\n");
    // the metapackages bring the newest kernel's packages, which bring that kernel
    Result in = dnf(sb, "install kmod-v4l2loopback kmod-acpi-call");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    assertThat(in.output())
        .contains("kmod-acpi-call-" + k2)
        .contains("kmod-v4l2loopback-" + k2)
        .contains("kernel-fleet-" + k2);
    assertSignedModulesIn(sb, k2, "extra", keyId);
    assertStatusAgrees(sb, k2, "kmod-%s-" + k2);
    Result out =
        dnf(
            sb,
            // the kernel stays (dnf would take it along as an unneeded dependency)
            "remove --noautoremove kmod-v4l2loopback kmod-acpi-call kmod-v4l2loopback-"
                + k2
                + " kmod-acpi-call-"
                + k2);
    assertThat(out.exitCode()).as(out.describe()).isZero();
    assertNoModulesIn(sb, k2, "rpm -qa | grep -c kmod-");
  }

  /**
   * pacman installs the newest of the packages from a repository made by {@code repo-add} (the
   * farm's packages for K1 and K2 and the stand-in kernel package): K2's, beside the kernel package
   * they depend on; the signed modules are in place, indexed and as {@code .MTREE} says; removing
   * them leaves nothing.
   */
  static void pacmanInstallsAndRemoves(Sandbox sb, Path repo, Path scratch, String k2, String keyId)
      throws IOException {
    Path linux = preparePacman(sb, scratch, k2);
    DkmsUnderTest.installInto(sb);
    withoutBuildTools(sb);
    // -p: an older package of a name never replaces a newer one, whatever the order of the files
    sb.sh(
            String.join(
                "\n",
                "set -e",
                "mkdir -p " + PACMAN_REPO,
                "cp " + repo + "/*.pkg.tar.zst " + linux + " " + PACMAN_REPO + "/",
                "repo-add -q -p "
                    + PACMAN_REPO
                    + "/fleet.db.tar.gz "
                    + PACMAN_REPO
                    + "/*.pkg.tar.zst",
                "printf '[fleet]\\nServer = file://"
                    + PACMAN_REPO
                    + "\\n' >> /var/tmp/pacman/pacman.conf"))
        .requireSuccess();
    Result in = pacman(sb, "-Sy acpi-call-amd64 v4l2loopback-amd64");
    assertThat(in.exitCode()).as(in.describe()).isZero();
    // the kernel package they depend on comes from the repository too
    assertThat(in.output()).contains(kernelDepend(k2).split("=")[0]);
    Result versions = sb.sh(PACMAN_QI + " acpi-call-amd64 v4l2loopback-amd64 | grep '^Version'");
    assertThat(versions.stdoutLines())
        .as(versions.describe())
        .hasSize(2)
        .allMatch(l -> l.contains(k2.replace('-', '.') + "+"));
    assertSignedModulesIn(sb, k2, "updates/dkms", keyId);
    assertStatusAgrees(sb, k2, "%s-" + FleetOtherFormats.flavour(k2));
    Result q =
        pacman(
            sb,
            "-Qkk acpi-call-amd64 v4l2loopback-amd64; "
                + PACMAN_QI
                + " acpi-call-amd64 | grep '^Depends On'");
    assertThat(q.exitCode()).as(q.describe()).isZero();
    assertThat(q.stdout())
        .containsPattern("acpi-call-amd64: [0-9]+ total files, 0 altered files")
        .containsPattern("v4l2loopback-amd64: [0-9]+ total files, 0 altered files")
        .containsPattern("Depends On +: " + kernelDepend(k2) + "\\n");
    Result out = pacman(sb, "-R acpi-call-amd64 v4l2loopback-amd64");
    assertThat(out.exitCode()).as(out.describe()).isZero();
    assertNoModulesIn(sb, k2, PACMAN_QI + " | grep -c '^Name *: \\(acpi-call\\|v4l2loopback\\)'");
  }

  /**
   * The sandbox (a view of this host, where dnf and pacman are) becomes a target without a
   * compiler, make or kernel headers, as the apt target is: they are deleted in its upper layer
   * (dnf and pacman do not know dpkg's files), and their absence is checked.
   */
  private static void withoutBuildTools(Sandbox sb) {
    Result r =
        sb.sh(
            "rm -f /usr/bin/gcc* /usr/bin/cc /usr/bin/c89* /usr/bin/c99* /usr/bin/*-linux-gnu-gcc*"
                + " /usr/bin/make /usr/bin/make-first-existing-target;"
                + " rm -rf /usr/src/linux-headers-* /usr/lib/modules/*/build /usr/lib/modules/*/source;"
                + " for c in gcc cc make; do command -v $c || echo no-$c; done;"
                + " ls /usr/src | grep -c linux-headers; ls -d /usr/lib/modules/*/build 2>/dev/null | wc -l");
    assertThat(r.stdoutLines())
        .as(r.describe())
        .containsExactly("no-gcc", "no-cc", "no-make", "0", "0");
  }

  /**
   * Both modules installed for {@code k} in {@code dir}: in place, indexed, signed by the fleet's
   * key ({@code modinfo} signer and key id).
   */
  private static void assertSignedModulesIn(Sandbox sb, String k, String dir, String keyId) {
    for (String[] m : FleetFarm.MODULES) {
      String ko = m[2];
      Result r =
          sb.sh(
              "ls /usr/lib/modules/"
                  + k
                  + "/"
                  + dir
                  + "/"
                  + ko
                  + ".ko*;"
                  + " grep -c '^"
                  + dir
                  + "/"
                  + ko
                  + "\\.ko[^:]*:' /usr/lib/modules/"
                  + k
                  + "/modules.dep;"
                  + " modinfo -k "
                  + k
                  + " -F signer "
                  + ko
                  + "; modinfo -k "
                  + k
                  + " -F sig_key "
                  + ko);
      assertThat(r.stdoutLines())
          .as(r.describe())
          .hasSize(4)
          .startsWith("/usr/lib/modules/" + k + "/" + dir + "/" + ko + ".ko")
          .endsWith("1", "jdkms fleet test", keyId);
    }
  }

  /**
   * jdkms on the target (installed from the checkout before the build tools went) lists the
   * packages' modules as installed, each by its package ({@code packageFormat}: the package name
   * with {@code %s} for the module's).
   */
  private static void assertStatusAgrees(Sandbox sb, String k, String packageFormat) {
    Result r = sb.sh("dkms status -k " + k);
    for (String[] m : FleetFarm.MODULES) {
      assertThat(r.stdoutLines())
          .as(r.describe())
          .anyMatch(
              l ->
                  l.matches(
                      Pattern.quote(m[1])
                          + "/[0-9.]+, "
                          + Pattern.quote(k)
                          + ", "
                          + Kernels.arch()
                          + ": installed \\(prebuilt: "
                          + Pattern.quote(String.format(packageFormat, m[1]))
                          + "\\)"));
    }
  }

  /** The pacman flavour of a Debian kernel release: {@code 6.1.0-57-amd64} is {@code amd64}. */
  static String flavour(String k) {
    return k.substring(k.lastIndexOf('-') + 1);
  }

  /** No module file left for {@code k}, none indexed, and {@code packages} counts none. */
  private static void assertNoModulesIn(Sandbox sb, String k, String packages) {
    Result r =
        sb.sh(
            "find /usr/lib/modules/"
                + k
                + " -name '*.ko*' | wc -l;"
                + " grep -c 'v4l2loopback\\|acpi_call' /usr/lib/modules/"
                + k
                + "/modules.dep; "
                + packages);
    assertThat(r.stdoutLines()).as(r.describe()).containsExactly("0", "0", "0");
  }
}
