package dev.jdkms.core.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a prebuilt module package ({@code jdkms fleet build}) declares it provides, as the file
 * {@code /usr/lib/jdkms/prebuilt/K/MODULE} it ships: the DKMS module and version it was built from,
 * the kernel, the package's name and its module files (relative to {@code /lib/modules/K}, with
 * their SHA-256). One {@code key=value} a line; the format is written here and read here, so the
 * writer (the fleet) and the reader (the hooks) cannot drift apart. Parsing is strict: any line it
 * does not expect makes the whole manifest invalid, and no path can leave {@code /lib/modules/K}.
 */
public record PrebuiltManifest(
    String module, String version, String kernel, String packageName, List<File> files) {

  /** The format this code writes and reads. */
  public static final String FORMAT = "1";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~:-]{0,127}");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,127}");
  private static final Pattern MODULE_FILE = Pattern.compile(".*\\.ko(\\.xz|\\.gz|\\.zst)?");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_FILES = 64;

  /** One module file: its path under {@code /lib/modules/K} and its SHA-256 (lower-case hex). */
  public record File(String path, String sha256) {
    public File {
      if (!SHA256.matcher(sha256).matches()) {
        throw new IllegalArgumentException("not a sha256: " + sha256);
      }
      checkPath(path);
    }
  }

  public PrebuiltManifest {
    files = List.copyOf(files);
    check(NAME, "module", module);
    check(VERSION, "version", version);
    check(NAME, "kernel", kernel);
    check(NAME, "package", packageName);
    if (files.isEmpty() || files.size() > MAX_FILES) {
      throw new IllegalArgumentException("expected 1 to " + MAX_FILES + " file lines");
    }
  }

  /** {@code M/V}. */
  public String moduleVersion() {
    return module + "/" + version;
  }

  /**
   * The package that would provide this module for {@code otherKernel}: the name with the kernel's
   * release replaced ({@code acpi-call-modules-K}, {@code kmod-acpi-call-K}); a name without the
   * release (pacman's {@code acpi-call-lts}) follows the kernel package and stays as it is.
   */
  public String packageFor(String otherKernel) {
    return packageName.replace(kernel, otherKernel);
  }

  /** The line saying that {@code M/version} is not built for the kernel: this package has it. */
  public String notBuilt(String moduleVersion) {
    return module
        + "/"
        + moduleVersion
        + " for "
        + kernel
        + ": provided by the package "
        + packageName
        + " (prebuilt), not built";
  }

  /** The manifest's text: nothing but names, versions, relative paths and checksums. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("# written by jdkms fleet build: what this package provides to jdkms\n");
    b.append("format=").append(FORMAT).append('\n');
    b.append("module=").append(module).append('\n');
    b.append("version=").append(version).append('\n');
    b.append("kernel=").append(kernel).append('\n');
    b.append("package=").append(packageName).append('\n');
    for (File f : files) {
      b.append("file=").append(f.sha256()).append(' ').append(f.path()).append('\n');
    }
    return b.toString();
  }

  /** Parses a manifest's text; an {@link IllegalArgumentException} says what is wrong. */
  public static PrebuiltManifest parse(String text) {
    String format = null;
    String module = null;
    String version = null;
    String kernel = null;
    String pkg = null;
    List<File> files = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("line " + n + " is not key=value");
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      switch (key) {
        case "format" -> format = once(format, key, value);
        case "module" -> module = once(module, key, value);
        case "version" -> version = once(version, key, value);
        case "kernel" -> kernel = once(kernel, key, value);
        case "package" -> pkg = once(pkg, key, value);
        case "file" -> {
          int sp = value.indexOf(' ');
          if (sp < 0 || files.size() == MAX_FILES) {
            throw new IllegalArgumentException("line " + n + ": bad file line");
          }
          try {
            files.add(new File(value.substring(sp + 1), value.substring(0, sp)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + n + ": " + e.getMessage(), e);
          }
        }
        default -> throw new IllegalArgumentException("line " + n + ": unknown key " + key);
      }
    }
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("format is " + format + ", expected " + FORMAT);
    }
    return new PrebuiltManifest(module, version, kernel, pkg, files);
  }

  private static String once(String seen, String key, String value) {
    if (seen != null) {
      throw new IllegalArgumentException(key + " given twice");
    }
    return value;
  }

  private static void check(Pattern p, String what, String value) {
    if (value == null || !p.matcher(value).matches()) {
      throw new IllegalArgumentException(
          value == null ? "no " + what : "invalid " + what + " '" + value + "'");
    }
  }

  /** Relative, at most 8 plain segments (no {@code .} or {@code ..}), a module file's name. */
  private static void checkPath(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length > 8 || !MODULE_FILE.matcher(path).matches()) {
      throw new IllegalArgumentException("invalid module path '" + path + "'");
    }
    for (String s : parts) {
      if (!SEGMENT.matcher(s).matches()) {
        throw new IllegalArgumentException("invalid module path '" + path + "'");
      }
    }
  }
}
