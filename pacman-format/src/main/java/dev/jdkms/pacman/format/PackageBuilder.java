package dev.jdkms.pacman.format;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a pacman package ({@code .pkg.tar.zst}) without makepkg: a tar of {@code .PKGINFO}, {@code
 * .MTREE}, an optional {@code .INSTALL} and the file tree, every member owned by root and stamped
 * with one time so the result is reproducible, compressed with zstd (aircompressor, pure Java).
 * Parent directories are added as needed (mode 755), members are written in path order.
 */
public final class PackageBuilder {
  private final PkgInfo info;
  private final TreeMap<String, PackageEntry> entries = new TreeMap<>();
  private String installScript;

  public PackageBuilder(PkgInfo info) {
    this.info = info;
  }

  public PkgInfo info() {
    return info;
  }

  /** The {@code .INSTALL} scriptlet (functions such as post_install, post_upgrade). */
  public PackageBuilder installScript(String script) {
    this.installScript = script;
    return this;
  }

  public PackageBuilder directory(String path, int mode) {
    return add(PackageEntry.directory(path, mode));
  }

  public PackageBuilder file(String path, int mode, byte[] content) {
    return add(PackageEntry.file(path, mode, content));
  }

  public PackageBuilder file(String path, int mode, String content) {
    return file(path, mode, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A regular file with the content of {@code source}. */
  public PackageBuilder file(String path, int mode, Path source) throws IOException {
    return file(path, mode, Files.readAllBytes(source));
  }

  public PackageBuilder symlink(String path, String target) {
    return add(PackageEntry.symlink(path, target));
  }

  /**
   * The directory {@code dir} as {@code path}: its files with their permission bits, its
   * directories, and its symbolic links as links (never followed).
   */
  public PackageBuilder tree(String path, Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted().toList();
    }
    for (Path p : all) {
      String rel = dir.relativize(p).toString();
      String target = rel.isEmpty() ? path : path + "/" + rel;
      if (Files.isSymbolicLink(p)) {
        symlink(target, Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        directory(target, mode(p));
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        file(target, mode(p), p);
      } else {
        throw new IOException("neither file, directory nor symbolic link: " + p);
      }
    }
    return this;
  }

  private PackageBuilder add(PackageEntry e) {
    PackageEntry old = entries.get(e.path());
    if (old != null && !(old.kind() == PackageEntry.Kind.DIRECTORY && e.kind() == old.kind())) {
      throw new IllegalArgumentException("added twice: " + e.path());
    }
    String path = e.path();
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String parent = path.substring(0, slash);
      PackageEntry p = entries.get(parent);
      if (p == null) {
        entries.put(parent, PackageEntry.directory(parent, 0755));
      } else if (p.kind() != PackageEntry.Kind.DIRECTORY) {
        throw new IllegalArgumentException(parent + " is not a directory, cannot hold " + path);
      }
    }
    entries.put(path, e);
    return this;
  }

  /** The members in the order they are written. */
  public List<PackageEntry> entries() {
    return List.copyOf(entries.values());
  }

  /** The installed size alpm shows (the sum of the regular files' sizes). */
  public long installedSize() {
    return entries.values().stream().mapToLong(PackageEntry::size).sum();
  }

  /** Writes the package to {@code out} (replaced atomically) and returns {@code out}. */
  public Path write(Path out) throws IOException {
    Map<String, byte[]> metadata = new LinkedHashMap<>();
    metadata.put(".PKGINFO", info.render(installedSize()).getBytes(StandardCharsets.UTF_8));
    if (installScript != null) {
      metadata.put(".INSTALL", installScript.getBytes(StandardCharsets.UTF_8));
    }
    long time = info.buildDate();
    byte[] mtree = Mtree.gzip(Mtree.text(metadata, entries(), time));
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp));
        ZstdOutputStream zstd = new ZstdOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      // makepkg's order: .PKGINFO first (alpm can stop reading there for -Qip), then .MTREE.
      writeFile(tar, ".PKGINFO", 0644, metadata.get(".PKGINFO"), time);
      writeFile(tar, ".MTREE", 0644, mtree, time);
      if (installScript != null) {
        writeFile(tar, ".INSTALL", 0644, metadata.get(".INSTALL"), time);
      }
      for (PackageEntry e : entries.values()) {
        switch (e.kind()) {
          case DIRECTORY -> {
            TarArchiveEntry t = new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR);
            own(t, e.mode(), time);
            tar.putArchiveEntry(t);
            tar.closeArchiveEntry();
          }
          case SYMLINK -> {
            TarArchiveEntry t = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK);
            t.setLinkName(e.linkTarget());
            own(t, 0777, time);
            tar.putArchiveEntry(t);
            tar.closeArchiveEntry();
          }
          case FILE -> writeFile(tar, e.path(), e.mode(), e.content(), time);
        }
      }
      tar.finish();
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  private static void writeFile(
      TarArchiveOutputStream tar, String name, int mode, byte[] content, long time)
      throws IOException {
    TarArchiveEntry t = new TarArchiveEntry(name);
    own(t, mode, time);
    t.setSize(content.length);
    tar.putArchiveEntry(t);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void own(TarArchiveEntry t, int mode, long time) {
    t.setMode((t.isDirectory() ? 040000 : t.isSymbolicLink() ? 0120000 : 0100000) | mode);
    t.setIds(0, 0);
    t.setUserName("root");
    t.setGroupName("root");
    t.setModTime(time * 1000);
  }

  private static int mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    int mode = 0;
    for (PosixFilePermission perm : perms) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }
}
