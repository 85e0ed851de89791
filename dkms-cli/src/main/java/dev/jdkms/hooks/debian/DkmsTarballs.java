package dev.jdkms.hooks.debian;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Tarball registrations through the drop-in {@code dkms} on PATH, as dh_dkms packages expect (rare:
 * most {@code *-dkms} packages ship a source tree, which the engine registers itself).
 */
public final class DkmsTarballs implements CommonPostinst.TarballLoader {
  @Override
  public int remove(String module, String version) throws IOException {
    return dkms("remove", "-m", module, "-v", version, "--all");
  }

  @Override
  public int load(Path tarball) throws IOException {
    return dkms("ldtarball", "--archive", tarball.toString());
  }

  private static int dkms(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "dkms";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
