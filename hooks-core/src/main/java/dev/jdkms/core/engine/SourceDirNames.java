package dev.jdkms.core.engine;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.plan.ChangedPaths;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The module name and version of a source directory {@code /usr/src/DIR}. A hyphen may sit in the
 * name or in the version ({@code foo-1.2-rc1}), so DIR is never split by guessing: a version
 * already in the tree whose {@code M-V} is DIR wins (preferring the one whose source link points at
 * DIR), else the dkms.conf's own PACKAGE_NAME and PACKAGE_VERSION, which upstream's {@code add}
 * requires to match the directory.
 */
final class SourceDirNames implements ChangedPaths.SourceNames {
  private final Session session;

  SourceDirNames(Session session) {
    this.session = session;
  }

  @Override
  public Optional<ModuleVersion> of(String dir) throws DkmsException {
    DkmsTree tree = session.tree();
    Path source = tree.sourceTree().resolve(dir);
    List<ModuleVersion> registered = new ArrayList<>();
    try {
      for (String[] mv : tree.moduleVersions("", "")) {
        if ((mv[0] + "-" + mv[1]).equals(dir)) {
          registered.add(new ModuleVersion(mv[0], mv[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (ModuleVersion mv : registered) {
      if (pointsAt(tree.sourceLink(mv.module(), mv.version()), source)) {
        return Optional.of(mv);
      }
    }
    if (!registered.isEmpty()) {
      return Optional.of(registered.get(0));
    }
    Path conf = source.resolve("dkms.conf");
    if (!Files.isRegularFile(conf)) {
      return Optional.empty();
    }
    Optional<DkmsConf> c = new ConfReader(session).readConf("", "", "", "", conf, false);
    if (c.isEmpty()) {
      return Optional.empty();
    }
    String name = c.get().packageName();
    String version = c.get().packageVersion();
    if (!name.isEmpty() && !version.isEmpty() && dir.equals(name + "-" + version)) {
      return Optional.of(new ModuleVersion(name, version));
    }
    return Optional.empty();
  }

  private static boolean pointsAt(Path link, Path dir) {
    try {
      return Files.isSymbolicLink(link) && link.toRealPath().equals(dir.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }
}
