package dev.jdkms.core.tarball;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import dev.jdkms.core.tree.DkmsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code dkms ldtarball FILE} and {@code dkms add FILE}: upstream's {@code load_tarball} followed
 * by {@code add_module}, with upstream's messages and exit statuses, made safe:
 *
 * <ol>
 *   <li>the archive is extracted into a private directory under {@code tmp_location} by {@link
 *       SafeExtractor}, which refuses hostile members (exit 7) before anything else is written;
 *   <li>it is checked completely (layout, dkms.conf, names, links of every tree to be copied);
 *   <li>its trees are copied into place by a {@link LoadTransaction}: a failure, an interruption,
 *       or a failed registration of a module that was not added before undoes them;
 *   <li>the private directory is deleted whatever happens.
 * </ol>
 *
 * <p>Deliberate difference from upstream: a {@code --binaries-only} tarball whose source directory
 * {@code /usr/src/M-V} does not exist gets that directory created holding only its dkms.conf, and
 * the module is then added normally (the {@code source} symlink points at it), so it shows as
 * {@code built}, installs and removes like any module; rebuilding it for another kernel fails with
 * upstream's "does not appear to have module source" (exit 8), as upstream intends for the stub.
 * Upstream instead makes {@code $dkms_tree/M/V/source} a real directory holding the dkms.conf and
 * exits 1 ({@code dkms add FILE}: 2) without adding: the module is then invisible to {@code dkms
 * status} yet installable, and {@code dkms remove} refuses it (exit 3). Such a leftover real {@code
 * source} directory is replaced when the tarball is loaded again.
 */
public final class LdTarball {
  private final Session session;
  private final ModuleAdder adder;
  private final SafeExtractor extractor;

  public LdTarball(Session session, ModuleAdder adder) {
    this(session, adder, new SafeExtractor());
  }

  public LdTarball(Session session, ModuleAdder adder, SafeExtractor extractor) {
    this.session = session;
    this.adder = adder;
    this.extractor = extractor;
  }

  private DkmsRequest req() {
    return session.request();
  }

  private Console out() {
    return session.console();
  }

  /** What a load did: its exit status, and the module the tarball named. */
  public record Loaded(int status, String module, String version) {}

  /** The module's names, as the tarball's dkms.conf gives them. */
  private record Named(String module, String version) {}

  /** Loads {@code request.archive} and adds the module in it; returns the exit status. */
  public int run() throws DkmsException, IOException {
    return load().status();
  }

  /** {@link #run}, saying which module the tarball named. */
  public Loaded load() throws DkmsException, IOException {
    String archive = req().archive;
    if (archive.isEmpty() || !Files.exists(Path.of(archive))) {
      throw DkmsException.die(ExitCode.TARBALL_MISSING, archive + " does not exist.");
    }
    if (archive.endsWith(".rpm")) {
      RpmArchive.install(session, archive);
      return new Loaded(adder.autoinstall(), req().module, req().moduleVersion);
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory(Path.of(session.setting("tmp_location")), "dkms.");
    } catch (IOException | RuntimeException e) {
      throw DkmsException.die(ExitCode.TEMP_DIR_FAILED, "Unable to make temporary directory.");
    }
    LoadInterruption interruption = new LoadInterruption(tmp);
    try {
      TarballRefusal.extract(extractor, archive, tmp);
      DkmsTarball t = new DkmsTarball(tmp);
      return t.hasMainTree()
          ? loadDkmsTarball(archive, t, interruption)
          : loadSources(archive, t, interruption);
    } finally {
      interruption.release();
      TreeCopier.deleteQuietly(tmp);
    }
  }

  /** A tarball that is not mktarball's: the source tree around its first dkms.conf. */
  private Loaded loadSources(String archive, DkmsTarball t, LoadInterruption interruption)
      throws DkmsException, IOException {
    Optional<Path> conf = t.firstConf();
    if (conf.isEmpty()) {
      throw DkmsException.die(
          3,
          "Tarball does not appear to be a correctly formed DKMS archive. No dkms.conf found within"
              + " it.");
    }
    LoadTransaction tx = interruption.begin();
    return register(
        tx, tx.run(archive, () -> addSourceTree(archive, conf.get().getParent(), "", "", tx)));
  }

  /** A tarball made by mktarball. */
  private Loaded loadDkmsTarball(String archive, DkmsTarball t, LoadInterruption interruption)
      throws DkmsException, IOException {
    MainConf chosen = mainConf(archive, t);
    Path conf = chosen.path();
    DkmsConf pkg = chosen.conf();
    String m = pkg.packageName();
    String v = pkg.packageVersion();
    TarballRefusal.requireUsableNames(archive, m, v);
    boolean binariesOnly = !conf.getParent().equals(t.sourceTree());
    List<DkmsTarball.Built> built = TarballRefusal.safeTrees(archive, t, binariesOnly);

    out().println("");
    out().println("Loading tarball for " + m + "/" + v);
    LoadTransaction tx = interruption.begin();
    Path binariesConf = conf;
    Named named =
        tx.run(
            archive,
            () -> {
              Named n = new Named(m, v);
              if (binariesOnly) {
                placeBinariesOnlyStub(m, v, binariesConf, tx);
              } else {
                n = addSourceTree(archive, t.sourceTree(), m, v, tx);
              }
              for (DkmsTarball.Built b : built) {
                Path target = session.tree().builtDir(m, v, b.kernel(), b.arch());
                if (Files.isDirectory(target) && !req().force) {
                  out().warn(target + " already exists. Skipping...");
                } else {
                  out().println("Loading " + target + "...");
                  tx.place(target, b.dir(), f -> !f.startsWith("."));
                }
              }
              return n;
            });
    return register(tx, named);
  }

  /** The dkms.conf that names the module, and where it is in the tarball. */
  private record MainConf(Path path, DkmsConf conf) {}

  /**
   * The first usable dkms.conf of a mktarball tarball (its source tree's, else its binaries-only
   * one's), as upstream's load_tarball picks it.
   */
  private MainConf mainConf(String archive, DkmsTarball t) throws DkmsException {
    Path conf = null;
    DkmsConf pkg = null;
    for (Path loc : List.of(t.sourceTree(), t.binariesOnly())) {
      Path c = loc.resolve(DkmsTarball.CONF);
      if (!Files.isRegularFile(c)) {
        continue;
      }
      DkmsConf read = new ConfReader(session).read("", "", firstKernel(), firstArch(), c);
      if (read.packageName().isEmpty() || read.packageVersion().isEmpty()) {
        out().errln("");
        out().errln("Malformed dkms.conf, refusing to load.");
        continue;
      }
      if (session.tree().isAdded(read.packageName(), read.packageVersion()) && !req().force) {
        throw DkmsException.die(
            8,
            read.packageName() + "/" + read.packageVersion() + " is already added!",
            "Aborting.");
      }
      conf = c;
      pkg = read;
      break;
    }
    if (conf == null) {
      throw TarballRefusal.invalid(
          archive, "No valid dkms.conf in dkms_source_tree or dkms_binaries_only.");
    }
    return new MainConf(conf, pkg);
  }

  /**
   * upstream's {@code add_source_tree} for a tree of the tarball: root only, the dkms.conf must
   * name the module, {@code --force} replaces {@code /usr/src/M-V}, otherwise the tree is copied
   * over it.
   */
  private Named addSourceTree(String archive, Path from, String m, String v, LoadTransaction tx)
      throws DkmsException, IOException {
    if (!Files.isRegularFile(from.resolve(DkmsTarball.CONF))) {
      throw DkmsException.die(
          ExitCode.SOURCE_TREE_WITHOUT_CONF, from + "/ must contain a dkms.conf file!");
    }
    adder.requireRoot();
    DkmsConf c =
        new ConfReader(session)
            .read(m, v, firstKernel(), firstArch(), from.resolve(DkmsTarball.CONF));
    if (c.packageName().isEmpty() || c.packageVersion().isEmpty()) {
      throw DkmsException.die(
          ExitCode.SOURCE_TREE_CONF_MALFORMED,
          "Malformed dkms.conf file. Cannot load source tree.");
    }
    String module = c.packageName();
    String version = c.packageVersion();
    TarballRefusal.requireUsableNames(archive, module, version);
    TarballRefusal.requireLinksInside(archive, from, "the module's source tree");
    Path dest = session.tree().sourceDir(module, version);
    boolean force = req().force && Files.isDirectory(dest);
    if (force) {
      out().errln("");
      out().println("Forcing install of " + module + "/" + version);
    }
    if (force || !Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      tx.place(dest, from, n -> true);
    } else {
      tx.merge(dest, from);
    }
    return new Named(module, version);
  }

  /**
   * The fixed binaries-only case (see the class comment): {@code /usr/src/M-V} holding only the
   * dkms.conf when there is no source directory, instead of upstream's unregistrable real {@code
   * source} directory in the DKMS tree.
   */
  private void placeBinariesOnlyStub(String m, String v, Path conf, LoadTransaction tx)
      throws IOException {
    DkmsTree tree = session.tree();
    Path src = tree.sourceDir(m, v);
    if (Files.isDirectory(src)) {
      return;
    }
    out().println("Creating " + src);
    out().println("Copying dkms.conf to " + src + " ...");
    tx.place(src, conf.getParent(), n -> n.equals(DkmsTarball.CONF));
    Path leftover = tree.sourceLink(m, v);
    if (DkmsTarball.isRealDirectory(leftover)) {
      tx.remove(leftover);
    }
  }

  /**
   * The rest of {@code add_module}. If it fails before the module is added, what the load placed is
   * taken back, so a failed ldtarball leaves nothing behind; once added (or when it was added
   * before, as with {@code --force}), the load stays.
   */
  private Loaded register(LoadTransaction tx, Named named) throws DkmsException, IOException {
    tx.disarm();
    String m = named.module();
    String v = named.version();
    try {
      int rc = adder.addModule(m, v);
      tx.commit();
      return new Loaded(rc, m, v);
    } catch (DkmsException | IOException | RuntimeException e) {
      if (session.tree().isAdded(m, v)) {
        tx.commit();
      } else {
        tx.rollback();
      }
      throw e;
    }
  }

  private String firstKernel() {
    return req().kernels.isEmpty() ? "" : req().kernels.get(0);
  }

  private String firstArch() {
    return req().arches.isEmpty() ? "" : req().arches.get(0);
  }
}
