package dev.jdkms.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The sources of {@link JdkmsLayout} outside a full build: for the writers' tests. */
public final class LayoutSources {
  private LayoutSources() {}

  /**
   * Copies every source file of the layout from {@code checkout} to the same place under {@code
   * copy} (with its permissions), writing {@code standIn} for what the build makes (the shaded
   * jar), and returns {@code copy}: a checkout the writers can package without a build.
   */
  public static Path copy(Path checkout, Path copy, String standIn) throws IOException {
    for (LayoutEntry e : JdkmsLayout.ENTRIES) {
      if (!e.isRegularFile()) {
        continue;
      }
      Path to = e.sourceIn(copy);
      Files.createDirectories(to.getParent());
      if (e.builtSource()) {
        Files.writeString(to, standIn);
      } else {
        Files.copy(
            e.sourceIn(checkout),
            to,
            StandardCopyOption.COPY_ATTRIBUTES,
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return copy;
  }
}
