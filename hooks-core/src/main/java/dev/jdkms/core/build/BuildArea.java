package dev.jdkms.core.build;

import dev.jdkms.core.exec.PrivateView;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where one build of a module version happens. Shared: in {@code M/V/build} itself, as upstream
 * builds. Private: in {@code M/V/.build-K-A}, which the build's children see mounted at {@code
 * M/V/build} (a {@link PrivateView}), so the same module version builds for several kernels at
 * once.
 */
public final class BuildArea {
  private final Path visible;
  private final Optional<PrivateView> view;

  private BuildArea(Path visible, Optional<PrivateView> view) {
    this.visible = visible;
    this.view = view;
  }

  /** {@code M/V/build} itself. */
  public static BuildArea shared(Path buildDir) {
    return new BuildArea(buildDir, Optional.empty());
  }

  /** A directory of its own beside {@code buildDir}, named after the kernel and arch. */
  static BuildArea privateFor(Path buildDir, String kernel, String arch) {
    Path physical = buildDir.resolveSibling(".build-" + kernel + "-" + arch);
    return new BuildArea(buildDir, Optional.of(new PrivateView(physical, buildDir)));
  }

  /** Where this process reads and writes the build. */
  public Path dir() {
    return view.map(PrivateView::physical).orElse(visible);
  }

  /** {@code M/V/build}: the path the build's children and its messages use. */
  public Path visible() {
    return visible;
  }

  /** A path under {@link #dir()} as messages show it. */
  public Path shown(Path p) {
    return view.map(v -> v.toVisible(p)).orElse(p);
  }

  /** A path a child names, as this process finds it. */
  public Path local(Path p) {
    return view.map(v -> v.toPhysical(p)).orElse(p);
  }

  /** What the build's children need in their environment (nothing when shared). */
  public Map<String, String> environment() {
    return view.map(PrivateView::environment).orElse(Map.of());
  }
}
