package dev.jdkms.core.tarball;

import java.nio.file.Path;

/**
 * Cleans up after SIGINT/SIGTERM: deletes the private directory and undoes a load that has not
 * reached registration.
 */
final class LoadInterruption {
  private final Thread hook;
  private volatile LoadTransaction tx;

  LoadInterruption(Path tmp) {
    hook =
        new Thread(
            () -> {
              LoadTransaction t = tx;
              if (t != null) {
                t.abandon();
              }
              TreeCopier.deleteQuietly(tmp);
            },
            "jdkms-ldtarball-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  LoadTransaction begin() {
    LoadTransaction t = new LoadTransaction();
    tx = t;
    return t;
  }

  void release() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook runs anyway
    }
  }
}
