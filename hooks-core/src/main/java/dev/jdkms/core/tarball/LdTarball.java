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
      return new Loaded(installRpm(archive), req().module, req().moduleVersion);
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory(Path.of(session.setting("tmp_location")), "dkms.");
    } catch (IOException | RuntimeException e) {
      throw DkmsException.die(ExitCode.TEMP_DIR_FAILED, "Unable to make temporary directory.");
    }
    Interruption interruption = new Interruption(tmp);
    try {
      extract(archive, tmp);
      DkmsTarball t = new DkmsTarball(tmp);
      return t.hasMainTree()
          ? loadDkmsTarball(archive, t, interruption)
          : loadSources(archive, t, interruption);
    } finally {
      interruption.release();
      TreeCopier.deleteQuietly(tmp);
    }
  }

  private void extract(String archive, Path tmp) throws DkmsException, IOException {
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

  /** A tarball that is not mktarball's: the source tree around its first dkms.conf. */
  private Loaded loadSources(String archive, DkmsTarball t, Interruption interruption)
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
        tx, load(archive, tx, () -> addSourceTree(archive, conf.get().getParent(), "", "", tx)));
  }

  /** A tarball made by mktarball. */
  private Loaded loadDkmsTarball(String archive, DkmsTarball t, Interruption interruption)
      throws DkmsException, IOException {
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
      throw invalid(archive, "No valid dkms.conf in dkms_source_tree or dkms_binaries_only.");
    }
    String m = pkg.packageName();
    String v = pkg.packageVersion();
    requireUsableNames(archive, m, v);
    boolean binariesOnly = !conf.getParent().equals(t.sourceTree());
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

    out().println("");
    out().println("Loading tarball for " + m + "/" + v);
    LoadTransaction tx = interruption.begin();
    Path binariesConf = conf;
    Named named =
        load(
            archive,
            tx,
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
    requireUsableNames(archive, module, version);
    requireLinksInside(archive, from, "the module's source tree");
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

  private interface LoadSteps {
    Named run() throws DkmsException, IOException;
  }

  /** Runs the copying steps; any failure undoes them. Returns the module's names. */
  private static Named load(String archive, LoadTransaction tx, LoadSteps steps)
      throws DkmsException {
    try {
      return steps.run();
    } catch (DkmsException e) {
      tx.rollback();
      throw e;
    } catch (IOException | RuntimeException e) {
      tx.rollback();
      throw DkmsException.die(
          ExitCode.FAILURE, "Loading " + archive + " failed: " + e.getMessage());
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

  private int installRpm(String archive) throws DkmsException, IOException {
    int status;
    try {
      ProcessBuilder pb = new ProcessBuilder("rpm", "-Uvh", archive);
      session.environment().applyTo(pb);
      pb.redirectOutput(out().childOut()).redirectError(out().childErr());
      status = pb.start().waitFor();
    } catch (IOException e) {
      status = 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 130;
    }
    if (status != 0) {
      throw DkmsException.die(
          9,
          "Unable to install " + archive + " using rpm.",
          "Check to ensure that your system can install .rpm files.");
    }
    return adder.autoinstall();
  }

  /**
   * The module's names become directory names: not {@code .} or {@code ..}, no {@code /} or control
   * characters, no leading {@code -} (the rule the command line applies to names, here failing the
   * tarball).
   */
  private static void requireUsableNames(String archive, String m, String v) throws DkmsException {
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

  private static void requireLinksInside(String archive, Path top, String what)
      throws DkmsException, IOException {
    Optional<Path> bad = LinkCheck.firstEscapingLink(top);
    if (bad.isPresent()) {
      throw refuse(
          archive, "symbolic link " + top.relativize(bad.get()) + " points outside " + what);
    }
  }

  private static DkmsException refuse(String archive, String why) {
    return invalid(archive, "Refusing to load " + archive + ": " + why + ".");
  }

  private static DkmsException invalid(String archive, String first) {
    return DkmsException.die(
        ExitCode.TARBALL_CONF_INVALID, first, archive + " is not a valid DKMS tarball.");
  }

  private String firstKernel() {
    return req().kernels.isEmpty() ? "" : req().kernels.get(0);
  }

  private String firstArch() {
    return req().arches.isEmpty() ? "" : req().arches.get(0);
  }

  /**
   * Cleans up after SIGINT/SIGTERM: deletes the private directory and undoes a load that has not
   * reached registration.
   */
  private final class Interruption {
    private final Thread hook;
    private volatile LoadTransaction tx;

    Interruption(Path tmp) {
      hook =
          new Thread(
              () -> {
                LoadTransaction t = tx;
                if (t != null) {
                  t.abandon();
                }
                TreeCopier.deleteQuietly(tmp);
              },
              "jdkms-ldtarball-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    LoadTransaction begin() {
      LoadTransaction t = new LoadTransaction();
      tx = t;
      return t;
    }

    void release() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs anyway
      }
    }
  }
}
