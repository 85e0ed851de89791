package dev.jdkms.core.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A kernel's {@code .config} or {@code include/config/auto.conf}, read as upstream greps it. */
public final class KernelConfig {
  private final Path path;
  private final List<String> lines;
  // One parsed config serves every dkms.conf read of a run (status reads one per line): each
  // question is answered by one scan of its ~10,000 lines, then remembered.
  private final java.util.Map<String, Boolean> containsAnswers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, Boolean> prefixAnswers =
      new java.util.concurrent.ConcurrentHashMap<>();

  private KernelConfig(Path path, List<String> lines) {
    this.path = path;
    this.lines = lines;
  }

  /** Reads the file; empty when it does not exist. */
  public static Optional<KernelConfig> read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    // dkms.conf is read once per status line, each time with the kernel's config: the same file,
    // unchanged, is parsed once (keyed by its size and modification time).
    java.nio.file.attribute.BasicFileAttributes a =
        Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
    String key = path.toAbsolutePath() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
    KernelConfig cached = CACHE.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    KernelConfig c = new KernelConfig(path, Files.readAllLines(path, StandardCharsets.ISO_8859_1));
    if (CACHE.size() > 16) {
      CACHE.clear();
    }
    CACHE.put(key, c);
    return Optional.of(c);
  }

  private static final java.util.Map<String, KernelConfig> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  public Path path() {
    return path;
  }

  /** The value of {@code NAME=} at line start, quotes removed; empty when absent. */
  public Optional<String> value(String name) {
    String prefix = name + "=";
    for (String l : lines) {
      if (l.startsWith(prefix)) {
        return Optional.of(l.substring(prefix.length()).replace("\"", ""));
      }
    }
    return Optional.empty();
  }

  /** True when some line starts with {@code prefix}. */
  public boolean hasLineStartingWith(String prefix) {
    return prefixAnswers.computeIfAbsent(
        prefix, p -> lines.stream().anyMatch(l -> l.startsWith(p)));
  }

  /** True when the text occurs anywhere (upstream greps without anchors for some keys). */
  public boolean contains(String text) {
    return containsAnswers.computeIfAbsent(text, t -> lines.stream().anyMatch(l -> l.contains(t)));
  }

  /** {@code CONFIG_X=y} or {@code =m}. */
  public boolean isEnabled(String option) {
    return hasLineStartingWith(option + "=y") || hasLineStartingWith(option + "=m");
  }

  /**
   * The compiler named by {@code CONFIG_CC_VERSION_TEXT}: its first word, quotes stripped, only
   * when followed by a space (upstream's sed pattern; nothing needs to follow that space).
   */
  public Optional<String> compiler() {
    for (String l : lines) {
      if (l.startsWith("CONFIG_CC_VERSION_TEXT=")) {
        String v = l.substring("CONFIG_CC_VERSION_TEXT=".length());
        while (v.startsWith("\"")) {
          v = v.substring(1);
        }
        int end = 0;
        while (end < v.length() && v.charAt(end) != '"' && v.charAt(end) != ' ') {
          end++;
        }
        if (end > 0 && end < v.length() && v.charAt(end) == ' ') {
          return Optional.of(v.substring(0, end));
        }
      }
    }
    return Optional.empty();
  }
}
