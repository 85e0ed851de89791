package dev.jdkms.core.tarball;

import dev.jdkms.core.compress.Budget;
import dev.jdkms.core.compress.Decompression;
import dev.jdkms.core.tarball.TarballException.Kind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar archive (any compression {@link Decompression} reads) into a private, empty
 * directory, refusing everything GNU tar would let through to places it should not reach. Every
 * member is checked before it is written; the first bad one ends the extraction with a {@link
 * TarballException} naming it:
 *
 * <ul>
 *   <li>names that are absolute, contain a {@code ..} component or control characters, or are
 *       longer than Linux allows;
 *   <li>member types other than regular files, directories, symbolic links and hard links (devices,
 *       fifos, sparse files, multi-volume parts...);
 *   <li>symbolic links that are absolute or climb out of the extraction directory (a {@code ..} is
 *       accepted only at the start of a target, where it climbs over directories that are known to
 *       be real), and hard links to anything but a regular file extracted before;
 *   <li>members that would be written through a symbolic link or below a regular file, and any name
 *       given twice (except a directory);
 *   <li>members larger than the {@link Limits}, archives that expand beyond them or hold too many
 *       members, and members that do not fit on the file system.
 * </ul>
 *
 * <p>Files get their mode without set-id and sticky bits and their modification time; ownership is
 * never restored (files belong to whoever loads the tarball, so a tarball cannot hand a module's
 * source to an unprivileged user), and no extended attributes are applied.
 */
public final class SafeExtractor {
  /** Size bounds for one extraction. */
  public record Limits(long maxMemberBytes, long maxTotalBytes, int maxMembers) {
    /** Generous for any kernel module (a large debug .ko is a few hundred MiB). */
    public static final Limits DEFAULT = new Limits(4L << 30, 16L << 30, 500_000);
  }

  private static final int MAX_PATH_BYTES = 4095;
  private static final int MAX_NAME_BYTES = 255;
  private static final long CHECK_SPACE_ABOVE = 1 << 20;

  private enum Type {
    DIR,
    FILE,
    SYMLINK,
    HARDLINK
  }

  private final Limits limits;

  public SafeExtractor() {
    this(Limits.DEFAULT);
  }

  public SafeExtractor(Limits limits) {
    this.limits = limits;
  }

  /** Extracts {@code archive} into {@code into}, an existing empty directory nobody else writes. */
  public void extract(Path archive, Path into) throws TarballException, IOException {
    new Run(into.toRealPath()).run(archive);
  }

  /** One extraction: what has been written so far, by normalised relative name. */
  private final class Run {
    private final Path root;
    private final Map<String, Type> written = new HashMap<>();
    private final Map<Path, TarArchiveEntry> directories = new HashMap<>();
    private long total;
    private int members;

    Run(Path root) {
      this.root = root;
    }

    void run(Path archive) throws TarballException, IOException {
      if (!Files.isRegularFile(archive)) {
        throw new TarballException(Kind.NOT_AN_ARCHIVE, "it is not a regular file");
      }
      InputStream in;
      try {
        // No budget of its own: the limits bound what is extracted, the end of the tar its reading.
        in = Decompression.open(archive, Budget.UNLIMITED);
      } catch (IOException e) {
        throw new TarballException(Kind.CORRUPT, "cannot read it: " + e.getMessage(), e);
      }
      in = new BufferedInputStream(in, 1 << 16);
      try {
        requireOneBlock(archive, in);
      } catch (TarballException | IOException e) {
        in.close();
        throw e;
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
        while (true) {
          TarArchiveEntry e;
          try {
            e = tar.getNextEntry();
          } catch (IOException | RuntimeException ex) {
            if (members == 0) {
              throw new TarballException(
                  Kind.NOT_AN_ARCHIVE, "it does not look like a tar archive", ex);
            }
            throw new TarballException(
                Kind.CORRUPT, "it is truncated or corrupt after " + members + " members", ex);
          }
          if (e == null) {
            break;
          }
          try {
            member(e, tar);
          } catch (InvalidPathException ex) {
            // The JVM's locale charset cannot encode the name (LANG=C without the launcher).
            throw unsafe(
                e.getName(),
                "has a name this locale's file-name encoding ("
                    + System.getProperty("sun.jnu.encoding")
                    + ") cannot represent; run with LC_ALL=C.UTF-8");
          }
        }
      }
      finishDirectories();
    }

    /**
     * Like GNU tar, a file shorter than one tar block is not an archive (an empty file neither; an
     * empty compressed stream is an empty archive).
     */
    private void requireOneBlock(Path archive, InputStream in)
        throws TarballException, IOException {
      in.mark(512);
      int n;
      try {
        n = in.readNBytes(new byte[512], 0, 512);
      } catch (IOException e) {
        throw new TarballException(Kind.NOT_AN_ARCHIVE, "it does not look like a tar archive", e);
      }
      in.reset();
      if ((n > 0 && n < 512) || (n == 0 && Files.size(archive) == 0)) {
        throw new TarballException(Kind.NOT_AN_ARCHIVE, "it does not look like a tar archive");
      }
    }

    private void member(TarArchiveEntry e, InputStream data) throws TarballException, IOException {
      if (++members > limits.maxMembers()) {
        throw unsafe(null, "it has more than " + limits.maxMembers() + " members");
      }
      String raw = e.getName();
      Type type = typeOf(e);
      String rel = normalise(raw, raw);
      if (rel.isEmpty()) {
        if (type != Type.DIR) {
          throw unsafe(raw, "is not a directory but names the archive's top");
        }
        return;
      }
      ensureParents(raw, rel);
      Type before = written.get(rel);
      Path target = root.resolve(rel);
      if (before != null) {
        if (before == Type.DIR && type == Type.DIR) {
          directories.put(target, e);
          return;
        }
        throw unsafe(raw, "appears more than once");
      }
      requireInsideRoot(raw, target.getParent());
      switch (type) {
        case DIR -> {
          Files.createDirectory(target);
          written.put(rel, Type.DIR);
          directories.put(target, e);
        }
        case FILE -> {
          writeFile(raw, target, e, data);
          written.put(rel, Type.FILE);
        }
        case SYMLINK -> {
          String link = e.getLinkName();
          checkSymlinkTarget(raw, rel, link);
          Files.createSymbolicLink(target, Path.of(link));
          written.put(rel, Type.SYMLINK);
        }
        case HARDLINK -> {
          String linkRel;
          try {
            linkRel = normalise(raw, e.getLinkName());
          } catch (TarballException ex) {
            throw unsafe(raw, "is a hard link outside the archive (" + e.getLinkName() + ")");
          }
          if (written.get(linkRel) != Type.FILE) {
            throw unsafe(
                raw, "is a hard link to " + e.getLinkName() + ", which is not a file before it");
          }
          Path from = root.resolve(linkRel);
          account(raw, Files.size(from));
          Files.copy(from, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          written.put(rel, Type.FILE);
        }
      }
    }

    private Type typeOf(TarArchiveEntry e) throws TarballException {
      byte flag = e.getLinkFlag();
      if (e.isSparse()) {
        throw unsafe(e.getName(), "is a sparse file");
      }
      return switch (flag) {
        case '5' -> Type.DIR;
        case '0', 0, '7' -> e.getName().endsWith("/") ? Type.DIR : Type.FILE;
        case '2' -> Type.SYMLINK;
        case '1' -> Type.HARDLINK;
        case '3' -> throw unsafe(e.getName(), "is a character device");
        case '4' -> throw unsafe(e.getName(), "is a block device");
        case '6' -> throw unsafe(e.getName(), "is a fifo");
        default ->
            throw unsafe(e.getName(), "has an unsupported type '" + (char) (flag & 0xff) + "'");
      };
    }

    /**
     * The member's name relative to the root, without {@code .} and empty components; {@code ""}
     * for the root itself.
     */
    private String normalise(String member, String name) throws TarballException {
      if (name.startsWith("/")) {
        throw unsafe(member, "has an absolute path" + (member.equals(name) ? "" : " " + name));
      }
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
        throw unsafe(member, "has a name longer than " + MAX_PATH_BYTES + " bytes");
      }
      StringBuilder b = new StringBuilder();
      for (String c : name.split("/")) {
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          throw unsafe(member, "has a '..' component" + (member.equals(name) ? "" : " in " + name));
        }
        if (c.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
          throw unsafe(member, "has a component longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (c.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
          throw unsafe(member, "has control characters in its name");
        }
        if (b.length() > 0) {
          b.append('/');
        }
        b.append(c);
      }
      return b.toString();
    }

    /** Every parent must be a directory written by this extraction (missing ones are created). */
    private void ensureParents(String raw, String rel) throws TarballException, IOException {
      int slash = -1;
      while ((slash = rel.indexOf('/', slash + 1)) >= 0) {
        String parent = rel.substring(0, slash);
        Type t = written.get(parent);
        if (t == null) {
          Path dir = root.resolve(parent);
          requireInsideRoot(raw, dir.getParent());
          Files.createDirectory(dir);
          Files.setPosixFilePermissions(dir, permissions(0755));
          written.put(parent, Type.DIR);
        } else if (t == Type.SYMLINK) {
          throw unsafe(raw, "would be written through the symbolic link " + parent);
        } else if (t != Type.DIR) {
          throw unsafe(raw, "would be written below " + parent + ", which is not a directory");
        }
      }
    }

    /** Defence in depth: the directory a member goes into really is under the root. */
    private void requireInsideRoot(String raw, Path dir) throws TarballException, IOException {
      if (!dir.toRealPath().startsWith(root)) {
        throw unsafe(raw, "would be written outside the extraction directory");
      }
    }

    /**
     * A symbolic link must stay inside the archive: not absolute, and its {@code ..} components
     * only leading ones, fewer than its depth (they climb over directories of this extraction, so
     * the climb is exactly what the text says; after a name, a {@code ..} could climb from wherever
     * a symbolic link led).
     */
    private void checkSymlinkTarget(String raw, String rel, String link) throws TarballException {
      if (link.isEmpty()) {
        throw unsafe(raw, "is a symbolic link with an empty target");
      }
      if (!LinkCheck.staysInside(rel, link)) {
        throw unsafe(raw, "is a symbolic link pointing outside the archive (" + link + ")");
      }
    }

    private void writeFile(String raw, Path target, TarArchiveEntry e, InputStream data)
        throws TarballException, IOException {
      long size = e.getSize();
      if (size < 0) {
        throw unsafe(raw, "has a negative size");
      }
      account(raw, size);
      try (OutputStream out =
          Files.newOutputStream(
              target,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
          int n;
          try {
            n = data.read(buf, 0, (int) Math.min(buf.length, left));
          } catch (IOException | RuntimeException ex) {
            throw new TarballException(Kind.CORRUPT, "it is truncated or corrupt in " + raw, ex);
          }
          if (n < 0) {
            throw new TarballException(Kind.CORRUPT, "it is truncated in " + raw);
          }
          out.write(buf, 0, n);
          left -= n;
        }
      }
      Files.setPosixFilePermissions(target, permissions(e.getMode()));
      Files.setLastModifiedTime(target, e.getLastModifiedTime());
    }

    /** Counts {@code size} bytes against the limits and the free space. */
    private void account(String raw, long size) throws TarballException, IOException {
      if (size > limits.maxMemberBytes()) {
        throw unsafe(raw, "is too large (" + size + " bytes)");
      }
      total += size;
      if (total > limits.maxTotalBytes()) {
        throw unsafe(null, "it expands to more than " + limits.maxTotalBytes() + " bytes");
      }
      if (size > CHECK_SPACE_ABOVE && Files.getFileStore(root).getUsableSpace() < size) {
        throw unsafe(raw, "does not fit in " + root.getParent() + " (" + size + " bytes)");
      }
    }

    /** Directory modes and times last, deepest first, so extraction could write into them. */
    private void finishDirectories() throws IOException {
      List<Map.Entry<Path, TarArchiveEntry>> dirs = new ArrayList<>(directories.entrySet());
      dirs.sort(
          Comparator.comparingInt((Map.Entry<Path, TarArchiveEntry> d) -> d.getKey().getNameCount())
              .reversed());
      for (Map.Entry<Path, TarArchiveEntry> d : dirs) {
        // the owner keeps full access, so whoever loads the tarball can always copy and delete it
        Files.setPosixFilePermissions(d.getKey(), permissions(d.getValue().getMode() | 0700));
        FileTime t = d.getValue().getLastModifiedTime();
        if (t != null) {
          Files.setLastModifiedTime(d.getKey(), t);
        }
      }
    }
  }

  private static TarballException unsafe(String member, String why) {
    return new TarballException(Kind.UNSAFE, member == null ? why : "member " + member + " " + why);
  }

  /** The permission bits of a tar mode (set-id and sticky bits dropped). */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }
}
