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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One run of {@link SafeExtractor}: the members written so far, by normalised relative name, and
 * what they add up to against the limits.
 */
final class Extraction {
  private static final long CHECK_SPACE_ABOVE = 1 << 20;

  private enum Type {
    DIR,
    FILE,
    SYMLINK,
    HARDLINK
  }

  private final SafeExtractor.Limits limits;
  private final Path root;
  private final Map<String, Type> written = new HashMap<>();
  private final Map<Path, TarArchiveEntry> directories = new HashMap<>();
  private long total;
  private int members;

  Extraction(Path root, SafeExtractor.Limits limits) {
    this.root = root;
    this.limits = limits;
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
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
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
          throw MemberNames.unsafe(
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
  private void requireOneBlock(Path archive, InputStream in) throws TarballException, IOException {
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
      throw MemberNames.unsafe(null, "it has more than " + limits.maxMembers() + " members");
    }
    String raw = e.getName();
    Type type = typeOf(e);
    String rel = MemberNames.normalise(raw, raw);
    if (rel.isEmpty()) {
      if (type != Type.DIR) {
        throw MemberNames.unsafe(raw, "is not a directory but names the archive's top");
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
      throw MemberNames.unsafe(raw, "appears more than once");
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
        MemberNames.checkSymlinkTarget(raw, rel, link);
        Files.createSymbolicLink(target, Path.of(link));
        written.put(rel, Type.SYMLINK);
      }
      case HARDLINK -> {
        String linkRel;
        try {
          linkRel = MemberNames.normalise(raw, e.getLinkName());
        } catch (TarballException ex) {
          throw MemberNames.unsafe(
              raw, "is a hard link outside the archive (" + e.getLinkName() + ")");
        }
        if (written.get(linkRel) != Type.FILE) {
          throw MemberNames.unsafe(
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
      throw MemberNames.unsafe(e.getName(), "is a sparse file");
    }
    return switch (flag) {
      case '5' -> Type.DIR;
      case '0', 0, '7' -> e.getName().endsWith("/") ? Type.DIR : Type.FILE;
      case '2' -> Type.SYMLINK;
      case '1' -> Type.HARDLINK;
      case '3' -> throw MemberNames.unsafe(e.getName(), "is a character device");
      case '4' -> throw MemberNames.unsafe(e.getName(), "is a block device");
      case '6' -> throw MemberNames.unsafe(e.getName(), "is a fifo");
      default ->
          throw MemberNames.unsafe(
              e.getName(), "has an unsupported type '" + (char) (flag & 0xff) + "'");
    };
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
        Files.setPosixFilePermissions(dir, SafeExtractor.permissions(0755));
        written.put(parent, Type.DIR);
      } else if (t == Type.SYMLINK) {
        throw MemberNames.unsafe(raw, "would be written through the symbolic link " + parent);
      } else if (t != Type.DIR) {
        throw MemberNames.unsafe(
            raw, "would be written below " + parent + ", which is not a directory");
      }
    }
  }

  /** Defence in depth: the directory a member goes into really is under the root. */
  private void requireInsideRoot(String raw, Path dir) throws TarballException, IOException {
    if (!dir.toRealPath().startsWith(root)) {
      throw MemberNames.unsafe(raw, "would be written outside the extraction directory");
    }
  }

  private void writeFile(String raw, Path target, TarArchiveEntry e, InputStream data)
      throws TarballException, IOException {
    long size = e.getSize();
    if (size < 0) {
      throw MemberNames.unsafe(raw, "has a negative size");
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
    Files.setPosixFilePermissions(target, SafeExtractor.permissions(e.getMode()));
    Files.setLastModifiedTime(target, e.getLastModifiedTime());
  }

  /** Counts {@code size} bytes against the limits and the free space. */
  private void account(String raw, long size) throws TarballException, IOException {
    if (size > limits.maxMemberBytes()) {
      throw MemberNames.unsafe(raw, "is too large (" + size + " bytes)");
    }
    total += size;
    if (total > limits.maxTotalBytes()) {
      throw MemberNames.unsafe(
          null, "it expands to more than " + limits.maxTotalBytes() + " bytes");
    }
    if (size > CHECK_SPACE_ABOVE && Files.getFileStore(root).getUsableSpace() < size) {
      throw MemberNames.unsafe(
          raw, "does not fit in " + root.getParent() + " (" + size + " bytes)");
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
      Files.setPosixFilePermissions(
          d.getKey(), SafeExtractor.permissions(d.getValue().getMode() | 0700));
      FileTime t = d.getValue().getLastModifiedTime();
      if (t != null) {
        Files.setLastModifiedTime(d.getKey(), t);
      }
    }
  }
}
