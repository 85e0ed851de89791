package dev.jdkms.core.tarball;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code dkms mktarball M/V [-k K/A]... [--all] [--archive FILE] [--source-only|--binaries-only]}:
 * upstream's {@code make_tarball}, its messages, default name and place (printed with upstream's
 * double slash), and exit statuses (6 not built or not written, 9 destination not writable). The
 * caller has checked that M/V is given, not broken and added.
 *
 * <p>Deliberate differences, none visible in a successful run's output: the archive is written
 * straight from the DKMS tree (no copy in a temporary directory) and appears only when complete;
 * {@code --archive /NAME} writes {@code /NAME} (upstream fails with "Missing write permissions for
 * ." because it takes the directory of {@code /NAME} to be empty); with {@code -c FILE
 * --binaries-only} the file is stored as {@code dkms_binaries_only/dkms.conf} (upstream keeps its
 * name, which makes the tarball unloadable); a kernel given twice is archived once.
 */
public final class MkTarball {
  private final Session session;

  public MkTarball(Session session) {
    this.session = session;
  }

  public int run() throws DkmsException, IOException {
    DkmsRequest r = session.request();
    Console out = session.console();
    DkmsTree tree = session.tree();
    String m = r.module;
    String v = r.moduleVersion;
    new ConfReader(session)
        .read(
            m,
            v,
            r.kernels.isEmpty() ? "" : r.kernels.get(0),
            r.arches.isEmpty() ? "" : r.arches.get(0),
            null);
    Path tmp = Path.of(session.setting("tmp_location"));
    if (!Files.isDirectory(tmp) || !Files.isWritable(tmp)) {
      throw DkmsException.die(ExitCode.TEMP_DIR_FAILED, "Unable to make temporary directory.");
    }

    TarballWriter w = new TarballWriter().directory(DkmsTarball.MAIN_TREE, 0755);
    StringBuilder kernels = new StringBuilder();
    if (r.sourceOnly) {
      kernels.append("source-only");
    } else {
      Set<String> planned = new HashSet<>();
      for (int i = 0; i < r.kernels.size(); i++) {
        String k = r.kernels.get(i);
        String a = r.arches.get(i);
        Path built = tree.builtDir(m, v, k, a);
        if (!Files.isDirectory(built)) {
          throw DkmsException.die(
              6,
              "No modules built for " + k + " (" + a + ").",
              "Modules must already be in the built state before using mktarball.");
        }
        out.println("Marking modules for " + k + " (" + a + ") for archiving...");
        kernels
            .append(kernels.length() == 0 ? "" : "-")
            .append("kernel")
            .append(k)
            .append('-')
            .append(a);
        String kdir = DkmsTarball.MAIN_TREE + "/" + k;
        if (planned.add(kdir)) {
          w.directory(kdir, 0755);
        }
        if (planned.add(kdir + "/" + a)) {
          w.tree(kdir + "/" + a, built);
        }
      }
    }

    Path source = tree.sourceLink(m, v);
    if (r.binariesOnly) {
      out.println("");
      out.println("Creating tarball structure to specifically accommodate binaries.");
      String dir = DkmsTarball.BINARIES_ONLY;
      w.directory(dir, 0755)
          .file(dir + "/PACKAGE_NAME", (m + "\n").getBytes(StandardCharsets.UTF_8), 0644)
          .file(dir + "/PACKAGE_VERSION", (v + "\n").getBytes(StandardCharsets.UTF_8), 0644);
      Path conf = r.conf.isEmpty() ? source.resolve(DkmsTarball.CONF) : Path.of(r.conf);
      if (Files.isRegularFile(conf)) {
        w.copyOf(dir + "/" + DkmsTarball.CONF, conf);
      }
    } else {
      out.println("");
      out.println("Marking " + source + " for archiving...");
      w.tree(DkmsTarball.SOURCE_TREE, source);
    }

    // upstream counts `echo "$list" | wc -m`, the newline included
    String list =
        kernels.codePointCount(0, kernels.length()) + 1 > 200 ? "manykernels" : kernels.toString();
    String name = DkmsTarball.defaultName(m, v, list);
    String dest = tree.versionDir(m, v) + "/tarball/";
    String archive = r.archive;
    if (!archive.isEmpty()) {
      int slash = archive.lastIndexOf('/');
      name = archive.substring(slash + 1);
      if (slash >= 0) {
        dest = archive.substring(0, slash);
      }
    }
    out.println("");
    out.println("Tarball location: " + dest + "/" + name);

    Path destDir = Path.of(dest.isEmpty() ? "/" : dest);
    if (!Files.isDirectory(destDir)) {
      try {
        Files.createDirectories(destDir);
      } catch (IOException e) {
        throw DkmsException.die(
            ExitCode.TARBALL_DEST_NOT_WRITABLE, "Missing write permissions for " + dest + ".");
      }
    }
    if (!Files.isWritable(destDir)) {
      throw DkmsException.die(
          ExitCode.TARBALL_DEST_NOT_WRITABLE, "Missing write permissions for " + dest + ".");
    }
    try {
      w.write(destDir.resolve(name));
    } catch (IOException | RuntimeException e) {
      throw DkmsException.die(ExitCode.TARBALL_FAILED, "Failed to make tarball.");
    }
    return 0;
  }
}
