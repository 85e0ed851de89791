package dev.jdkms.core.tree;

import dev.jdkms.core.kernel.VersionOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The prebuilt module packages installed on the machine, as their manifests say ({@code
 * /usr/lib/jdkms/prebuilt/K/MODULE}, see {@link PrebuiltManifest}): jdkms neither builds nor
 * installs a module for a kernel a package provides it for, and never deletes a file a package
 * claims. A manifest that is not what {@code jdkms fleet build} writes (too big, a link, bad text,
 * a module or kernel other than its path says) is ignored with one warning line.
 */
public final class PrebuiltModules {
  /** Nothing prebuilt (a build farm's staging host, whose packages are not this machine's). */
  public static final PrebuiltModules NONE = new PrebuiltModules(List.of());

  private static final int MAX_BYTES = 16 * 1024;

  private final List<PrebuiltManifest> manifests;

  private PrebuiltModules(List<PrebuiltManifest> manifests) {
    this.manifests = List.copyOf(manifests);
  }

  /**
   * Reads every manifest under {@code dir} ({@code /usr/lib/jdkms/prebuilt}); each one ignored goes
   * to {@code warn} as one line. A missing directory is no prebuilt module.
   */
  public static PrebuiltModules read(Path dir, Consumer<String> warn) {
    List<PrebuiltManifest> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return NONE;
    }
    try (DirectoryStream<Path> kernels = Files.newDirectoryStream(dir)) {
      for (Path k : kernels) {
        if (!Files.isDirectory(k, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(k)) {
          for (Path m : modules) {
            readOne(m, warn).ifPresent(out::add);
          }
        }
      }
    } catch (IOException e) {
      warn.accept("jdkms: warning: cannot read " + dir + ": " + e.getMessage());
    }
    out.sort(
        Comparator.comparing(PrebuiltManifest::module)
            .thenComparing(PrebuiltManifest::kernel, VersionOrder.COMPARATOR));
    return new PrebuiltModules(out);
  }

  private static Optional<PrebuiltManifest> readOne(Path file, Consumer<String> warn) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException("not a regular file");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
      }
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      PrebuiltManifest m = PrebuiltManifest.parse(text);
      if (!m.module().equals(file.getFileName().toString())
          || !m.kernel().equals(file.getParent().getFileName().toString())) {
        throw new IllegalArgumentException("its module or kernel is not the one its path names");
      }
      return Optional.of(m);
    } catch (IOException | IllegalArgumentException e) {
      String why = e instanceof CharacterCodingException ? "not UTF-8" : e.getMessage();
      warn.accept("jdkms: warning: ignoring the prebuilt module manifest " + file + ": " + why);
      return Optional.empty();
    }
  }

  /** Every valid manifest, by module then kernel. */
  public List<PrebuiltManifest> all() {
    return manifests;
  }

  /**
   * The manifests {@code dkms status -m M -v V -k K} asks about: module and version as globs (as
   * upstream expands them in the tree), the kernel exactly; empty filters match all.
   */
  public List<PrebuiltManifest> matching(String module, String version, String kernel) {
    return manifests.stream()
        .filter(m -> module.isEmpty() || Glob.matches(module, m.module()))
        .filter(m -> version.isEmpty() || Glob.matches(version, m.version()))
        .filter(m -> kernel.isEmpty() || kernel.equals(m.kernel()))
        .toList();
  }

  /** The package providing {@code module} (any version) for {@code kernel}, if one does. */
  public Optional<PrebuiltManifest> find(String module, String kernel) {
    return manifests.stream()
        .filter(m -> m.module().equals(module) && m.kernel().equals(kernel))
        .findFirst();
  }

  /** The manifests of {@code module} for other kernels, newest kernel last. */
  public List<PrebuiltManifest> ofModule(String module) {
    return manifests.stream().filter(m -> m.module().equals(module)).toList();
  }

  /** The modules some package provides for some kernel. */
  public List<String> modules() {
    return manifests.stream().map(PrebuiltManifest::module).distinct().toList();
  }

  /**
   * The manifest claiming {@code file} ({@code /lib/modules/K/...}, given as {@code kernelDir} and
   * the path below it), if one does.
   */
  public Optional<PrebuiltManifest> claiming(String kernel, String relative) {
    return manifests.stream()
        .filter(m -> m.kernel().equals(kernel))
        .filter(m -> m.files().stream().anyMatch(f -> f.path().equals(relative)))
        .findFirst();
  }

  /** Why jdkms cannot build a module whose prebuilt package is missing for a kernel. */
  public enum Lack {
    SOURCE("its DKMS source is not installed", "install that package"),
    HEADERS("the kernel has no headers", "install that package, or the kernel's headers"),
    COMPILER(
        "no compiler to build it", "install that package, or gcc, make and the kernel's headers");

    private final String why;
    private final String remedy;

    Lack(String why, String remedy) {
      this.why = why;
      this.remedy = remedy;
    }
  }

  /**
   * When {@code module} has packages for other kernels but none for {@code kernel}, which jdkms
   * cannot build for {@link Lack lack}: one line naming the package missing and what would do
   * instead; empty otherwise.
   */
  public Optional<String> missing(String module, String kernel, Lack lack) {
    List<PrebuiltManifest> of = ofModule(module);
    if (of.isEmpty() || find(module, kernel).isPresent()) {
      return Optional.empty();
    }
    PrebuiltManifest newest = of.get(of.size() - 1);
    return Optional.of(
        module
            + ": no prebuilt package for "
            + kernel
            + " ("
            + newest.packageFor(kernel)
            + ") and "
            + lack.why
            + "; "
            + lack.remedy);
  }
}
