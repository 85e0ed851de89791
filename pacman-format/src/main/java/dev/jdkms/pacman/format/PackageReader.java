package dev.jdkms.pacman.format;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A {@code .pkg.tar.zst} read back: member name → tar entry, in archive order, and the contents of
 * its regular files. For the tests of the packages {@link PackageBuilder} writes.
 */
public record PackageReader(Map<String, TarArchiveEntry> entries, Map<String, byte[]> contents) {

  public PackageReader {
    entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    contents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contents));
  }

  /** Reads every member of {@code pkg}. */
  public static PackageReader read(Path pkg) throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    Map<String, byte[]> contents = new LinkedHashMap<>();
    try (InputStream in = new ZstdInputStream(Files.newInputStream(pkg));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), e);
        if (e.isFile()) {
          contents.put(e.getName(), tar.readAllBytes());
        }
      }
    }
    return new PackageReader(entries, contents);
  }

  /** The member names in archive order. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  /** A regular member's content as UTF-8 text. */
  public String text(String name) {
    return new String(contents.get(name), StandardCharsets.UTF_8);
  }
}
