package dev.jdkms.core.tarball;

import dev.jdkms.core.compress.Decompression;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

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

  private final Limits limits;

  public SafeExtractor() {
    this(Limits.DEFAULT);
  }

  public SafeExtractor(Limits limits) {
    this.limits = limits;
  }

  /** Extracts {@code archive} into {@code into}, an existing empty directory nobody else writes. */
  public void extract(Path archive, Path into) throws TarballException, IOException {
    new Extraction(into.toRealPath(), limits).run(archive);
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
