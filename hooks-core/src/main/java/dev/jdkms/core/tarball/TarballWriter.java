package dev.jdkms.core.tarball;

import dev.jdkms.core.compress.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tar archive the way {@code tar -C DIR -caf NAME .} lays one out: member names start with
 * {@code ./}, directories end with {@code /} and come before their contents (in name order here),
 * modes, times and owners are the files' own, symbolic links stay links. Long names and large
 * numbers use POSIX (pax) headers, which GNU tar reads.
 *
 * <p>The members are planned first and read from disk while writing, so nothing is staged in a
 * temporary copy. The archive appears under its name only when complete (written next to it, then
 * renamed); a failure leaves nothing.
 */
public final class TarballWriter {
  private enum Kind {
    DIRECTORY,
    FILE,
    COPY,
    TREE
  }

  private record Planned(Kind kind, String name, Path source, byte[] content, int mode) {}

  /** Owned by this process's user and group: the owner of members that exist only here. */
  private static final Path SELF = Path.of("/proc/self");

  private final List<Planned> plan = new ArrayList<>();
  private final FileTime now = FileTime.fromMillis(System.currentTimeMillis());
  private final int processUid;
  private final int processGid;

  public TarballWriter() throws IOException {
    processUid = (Integer) Files.getAttribute(SELF, "unix:uid");
    processGid = (Integer) Files.getAttribute(SELF, "unix:gid");
  }

  /** A directory that exists only in the archive ({@code name} relative, no {@code ./}). */
  public TarballWriter directory(String name, int mode) {
    plan.add(new Planned(Kind.DIRECTORY, name, null, null, mode));
    return this;
  }

  /** A regular file that exists only in the archive. */
  public TarballWriter file(String name, byte[] content, int mode) {
    plan.add(new Planned(Kind.FILE, name, null, content, mode));
    return this;
  }

  /** The file {@code source} (its target if it is a link), stored as {@code name}. */
  public TarballWriter copyOf(String name, Path source) {
    plan.add(new Planned(Kind.COPY, name, source, null, 0));
    return this;
  }

  /**
   * The directory {@code source} (followed if it is a link) stored as {@code name}, with all it
   * contains; links inside stay links. Sockets, fifos and devices are left out: a DKMS tarball with
   * them could not be loaded.
   */
  public TarballWriter tree(String name, Path source) {
    plan.add(new Planned(Kind.TREE, name, source, null, 0));
    return this;
  }

  /** Writes the archive to {@code target}, compressed as its name says. */
  public void write(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (Files.isDirectory(target)) {
      throw new IOException(target + " is a directory");
    }
    Path part = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
    boolean done = false;
    try {
      Compression c = Compression.forArchiveName(target.getFileName().toString());
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(
              c.compress(Files.newOutputStream(part)), StandardCharsets.UTF_8.name())) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        virtualDirectory(tar, "", 0700);
        for (Planned p : plan) {
          switch (p.kind()) {
            case TREE -> tree(tar, p.name(), p.source().toRealPath());
            case COPY -> regular(tar, p.name(), p.source().toRealPath());
            case DIRECTORY -> virtualDirectory(tar, p.name(), p.mode());
            case FILE -> virtualFile(tar, p.name(), p.content(), p.mode());
          }
        }
        tar.finish();
      }
      Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(part);
      }
    }
  }

  private void tree(TarArchiveOutputStream tar, String name, Path dir) throws IOException {
    entry(tar, dir, memberName(name, true), TarConstants.LF_DIR, 0);
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    }
    for (Path child : children) {
      String childName = name + "/" + child.getFileName();
      if (Files.isSymbolicLink(child)) {
        TarArchiveEntry e =
            entry(tar, child, memberName(childName, false), TarConstants.LF_SYMLINK, 0);
        e.setLinkName(Files.readSymbolicLink(child).toString());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        tree(tar, childName, child);
      } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
        regular(tar, childName, child);
      }
    }
  }

  private void regular(TarArchiveOutputStream tar, String name, Path file) throws IOException {
    long size = Files.size(file);
    TarArchiveEntry e = entry(tar, file, memberName(name, false), TarConstants.LF_NORMAL, size);
    tar.putArchiveEntry(e);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long left = size;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(file + " shrank while it was archived");
        }
        tar.write(buf, 0, n);
        left -= n;
      }
    }
    tar.closeArchiveEntry();
  }

  /**
   * An entry with {@code source}'s metadata; directories are put at once, other types are returned
   * for the caller to complete.
   */
  private TarArchiveEntry entry(
      TarArchiveOutputStream tar, Path source, String name, byte type, long size)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    Map<String, Object> a =
        Files.readAttributes(
            source, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    e.setMode(((Integer) a.get("mode")) & 07777);
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    owners(e, source, uid, gid);
    e.setModTime((FileTime) a.get("lastModifiedTime"));
    e.setSize(size);
    if (type == TarConstants.LF_DIR) {
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }
    return e;
  }

  private void virtualDirectory(TarArchiveOutputStream tar, String name, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(memberName(name, true), TarConstants.LF_DIR, true);
    e.setMode(mode);
    e.setModTime(now);
    owners(e, SELF, processUid, processGid);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private void virtualFile(TarArchiveOutputStream tar, String name, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(memberName(name, false), TarConstants.LF_NORMAL, true);
    e.setMode(mode);
    e.setModTime(now);
    e.setSize(content.length);
    owners(e, SELF, processUid, processGid);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private void owners(TarArchiveEntry e, Path source, int uid, int gid) throws IOException {
    e.setIds(uid, gid);
    PosixFileAttributes a =
        Files.readAttributes(source, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    e.setUserName(accountName(a.owner().getName(), uid));
    e.setGroupName(accountName(a.group().getName(), gid));
  }

  /** The JDK shows an id without a name as the number; tar leaves the name empty then. */
  private static String accountName(String name, int id) {
    return name.equals(Integer.toString(id)) ? "" : name;
  }

  private static String memberName(String name, boolean directory) {
    String n = name.isEmpty() ? "." : "./" + name;
    return directory ? n + "/" : n;
  }
}
