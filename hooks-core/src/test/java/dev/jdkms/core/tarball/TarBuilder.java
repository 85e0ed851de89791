package dev.jdkms.core.tarball;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/** Crafts tar archives, hostile ones included: names and headers are written as given. */
final class TarBuilder {
  private interface Step {
    void write(TarArchiveOutputStream tar, ByteArrayOutputStream raw) throws IOException;
  }

  private final List<Step> steps = new ArrayList<>();

  TarBuilder dir(String name) {
    return entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, null, 0755, null);
  }

  TarBuilder file(String name, String content) {
    return entry(name, TarConstants.LF_NORMAL, content, 0644, null);
  }

  TarBuilder file(String name, String content, int mode) {
    return entry(name, TarConstants.LF_NORMAL, content, mode, null);
  }

  TarBuilder symlink(String name, String target) {
    return entry(name, TarConstants.LF_SYMLINK, null, 0777, target);
  }

  TarBuilder hardlink(String name, String target) {
    return entry(name, TarConstants.LF_LINK, null, 0644, target);
  }

  /** A member of another type (device, fifo...), no data. */
  TarBuilder special(String name, byte type) {
    return entry(name, type, null, 0644, null);
  }

  private TarBuilder entry(String name, byte type, String content, int mode, String link) {
    steps.add(
        (tar, raw) -> {
          TarArchiveEntry e = new TarArchiveEntry(name, type, true);
          e.setMode(mode);
          if (link != null) {
            e.setLinkName(link);
          }
          byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
          e.setSize(data.length);
          tar.putArchiveEntry(e);
          tar.write(data);
          tar.closeArchiveEntry();
        });
    return this;
  }

  /**
   * A regular-file header claiming {@code size} bytes followed by {@code actual} bytes of data and
   * nothing else: the archive ends there (truncated), whatever the header says.
   */
  TarBuilder claimedSize(String name, long size, int actual) {
    steps.add(
        (tar, raw) -> {
          truncated = true;
          TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
          e.setSize(size);
          byte[] header = new byte[512];
          e.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
          raw.write(header);
          raw.write(new byte[actual]);
        });
    return this;
  }

  /** Writes the archive (plain tar, properly ended unless a claimedSize step cut it short). */
  Path writeTo(Path file) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    // 512-byte blocks: every record reaches `raw` at once, so raw headers interleave correctly
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(raw, 512, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Step s : steps) {
      s.write(tar, raw);
    }
    if (!truncated) {
      tar.finish();
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      raw.writeTo(out);
    }
    return file;
  }

  private boolean truncated;
}
