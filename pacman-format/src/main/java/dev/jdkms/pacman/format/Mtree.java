package dev.jdkms.pacman.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code .MTREE} of a package: a gzip-compressed mtree(5) listing of every member with type,
 * mode, time, size and digests, as makepkg writes it with bsdtar. {@code pacman -Qkk} checks the
 * installed files against it.
 */
final class Mtree {
  private Mtree() {}

  /** The mtree text for the metadata members and {@code entries}, all with mtime {@code time}. */
  static String text(Map<String, byte[]> metadata, List<PackageEntry> entries, long time) {
    StringBuilder b = new StringBuilder("#mtree\n/set type=file uid=0 gid=0 mode=644\n");
    metadata.forEach((name, content) -> file(b, name, 0644, content, time));
    for (PackageEntry e : entries) {
      switch (e.kind()) {
        case DIRECTORY ->
            b.append(head(e.path(), time))
                .append(" mode=")
                .append(octal(e.mode()))
                .append(" type=dir\n");
        case SYMLINK ->
            b.append(head(e.path(), time))
                .append(" mode=777 type=link link=")
                .append(escape(e.linkTarget()))
                .append('\n');
        case FILE -> file(b, e.path(), e.mode(), e.content(), time);
      }
    }
    return b.toString();
  }

  private static void file(StringBuilder b, String path, int mode, byte[] content, long time) {
    b.append(head(path, time));
    if (mode != 0644) {
      b.append(" mode=").append(octal(mode));
    }
    b.append(" size=")
        .append(content.length)
        .append(" md5digest=")
        .append(digest("MD5", content))
        .append(" sha256digest=")
        .append(digest("SHA-256", content))
        .append('\n');
  }

  private static String head(String path, long time) {
    return "./" + escape(path) + " time=" + time + ".0";
  }

  /** {@link #text} gzip-compressed, the form pacman reads. */
  static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  // mtree(5): characters other than printable ASCII, and space, tab, # and \, as \ooo.
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u <= 0x20 || u >= 0x7f || u == '#' || u == '\\') {
        b.append('\\').append(String.format(Locale.ROOT, "%03o", u));
      } else {
        b.append((char) u);
      }
    }
    return b.toString();
  }

  private static String octal(int mode) {
    return Integer.toOctalString(mode & 07777);
  }

  private static String digest(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
