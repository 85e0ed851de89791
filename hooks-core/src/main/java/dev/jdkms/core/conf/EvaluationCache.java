package dev.jdkms.core.conf;

import dev.jdkms.core.exec.ChildEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bash evaluations of one jdkms process, so that a dkms.conf the plan, the build, the install
 * and the initramfs step each read for the same module, version, kernel and arch goes through bash
 * once. An entry is the same script (files and context), the same environment (but for the
 * variables jdkms itself sets for builds) and files unchanged since (size, modification time,
 * inode); it keeps what the evaluation wrote to stderr, which every later read shows again as
 * upstream, re-sourcing the file, would.
 */
public final class EvaluationCache {
  /** A finished evaluation: its variables and its stderr. */
  record Entry(ShellVariables variables, String stderr) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  void put(String key, Entry entry) {
    entries.put(key, entry);
  }

  /** The key of an evaluation; empty when a file cannot be examined (then it is not cached). */
  static Optional<String> key(String script, ChildEnvironment env, List<Path> files) {
    StringBuilder k = new StringBuilder(script).append('\0');
    new TreeMap<>(env.asMap())
        .forEach(
            (n, v) -> {
              if (!isOwnBuildVariable(n)) {
                k.append(n).append('=').append(v).append('\0');
              }
            });
    for (Path f : files) {
      try {
        BasicFileAttributes a =
            Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        BasicFileAttributes t = Files.readAttributes(f, BasicFileAttributes.class);
        k.append(f)
            .append('\0')
            .append(a.lastModifiedTime().toMillis())
            .append('/')
            .append(t.size())
            .append('/')
            .append(t.lastModifiedTime().toInstant())
            .append('/')
            .append(t.fileKey())
            .append('\0');
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(k.toString());
  }

  /** What the executor adds to a build's environment; a dkms.conf has no business reading it. */
  private static boolean isOwnBuildVariable(String name) {
    return name.startsWith("JDKMS_")
        || name.equals("MAKEFLAGS")
        || name.equals("MFLAGS")
        || name.equals("MAKELEVEL");
  }
}
