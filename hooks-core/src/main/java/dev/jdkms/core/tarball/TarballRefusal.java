package dev.jdkms.core.tarball;

import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.ExitCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Why a tarball is not loaded (upstream's exit 7, "not a valid DKMS tarball"), and the checks that
 * refuse one before anything is copied: names that are not usable directory names, symbolic links
 * that point outside a tree.
 */
final class TarballRefusal {
  private TarballRefusal() {}

  /**
   * The module's names become directory names: not {@code .} or {@code ..}, no {@code /} or control
   * characters, no leading {@code -} (the rule the command line applies to names, here failing the
   * tarball).
   */
  static void requireUsableNames(String archive, String m, String v) throws DkmsException {
    for (String n : List.of(m, v)) {
      if (n.contains("/")
          || n.equals(".")
          || n.equals("..")
          || n.startsWith("-")
          || n.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw refuse(
            archive,
            "its dkms.conf names the module "
                + (m + "/" + v).replaceAll("\\p{Cntrl}", "?")
                + ", which is not a usable directory name");
      }
    }
  }

  static void requireLinksInside(String archive, Path top, String what)
      throws DkmsException, IOException {
    Optional<Path> bad = LinkCheck.firstEscapingLink(top);
    if (bad.isPresent()) {
      throw refuse(
          archive, "symbolic link " + top.relativize(bad.get()) + " points outside " + what);
    }
  }

  static DkmsException refuse(String archive, String why) {
    return invalid(archive, "Refusing to load " + archive + ": " + why + ".");
  }

  static DkmsException invalid(String archive, String first) {
    return DkmsException.die(
        ExitCode.TARBALL_CONF_INVALID, first, archive + " is not a valid DKMS tarball.");
  }

  /**
   * A mktarball tarball's trees: its source tree (unless binaries-only) and every built module's
   * directory hold no link out of them, and no kernel directory is a link or a reserved name.
   * Returns the built modules.
   */
  static List<DkmsTarball.Built> safeTrees(String archive, DkmsTarball t, boolean binariesOnly)
      throws DkmsException, IOException {
    if (!binariesOnly) {
      requireLinksInside(archive, t.sourceTree(), DkmsTarball.SOURCE_TREE);
    }
    List<String> links = t.linkedKernelDirs();
    if (!links.isEmpty()) {
      throw refuse(archive, links.get(0) + " is a symbolic link, not a kernel's directory");
    }
    List<DkmsTarball.Built> built = t.built();
    for (DkmsTarball.Built b : built) {
      if (b.isReserved()) {
        throw refuse(
            archive,
            DkmsTarball.MAIN_TREE
                + "/"
                + b.kernel()
                + "/"
                + b.arch()
                + " is not a kernel's directory");
      }
      requireLinksInside(
          archive, b.dir(), DkmsTarball.MAIN_TREE + "/" + b.kernel() + "/" + b.arch());
    }

    return built;
  }

  /**
   * Extracts {@code archive} into {@code tmp}, a refused member or a corrupt archive failing it.
   */
  static void extract(SafeExtractor extractor, String archive, Path tmp)
      throws DkmsException, IOException {
    try {
      extractor.extract(Path.of(archive), tmp);
    } catch (TarballException e) {
      switch (e.kind()) {
        case NOT_AN_ARCHIVE ->
            throw DkmsException.die(
                3,
                "Tarball does not appear to be a correctly formed DKMS archive. No dkms.conf found"
                    + " within it.",
                archive + " does not look like a tar archive.");
        case CORRUPT ->
            throw invalid(archive, "Cannot load " + archive + ": " + e.getMessage() + ".");
        default -> throw refuse(archive, e.getMessage());
      }
    }
  }
}
