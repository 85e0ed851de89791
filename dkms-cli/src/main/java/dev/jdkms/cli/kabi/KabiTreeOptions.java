package dev.jdkms.cli.kabi;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the kabi commands find the host: the DKMS tree and the root kernel files are below. */
final class KabiTreeOptions {
  @Option(
      names = "--dkms-tree",
      paramLabel = "DIR",
      defaultValue = "/var/lib/dkms",
      description = "the DKMS tree (default: ${DEFAULT-VALUE})")
  Path dkmsTree;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = "/",
      description = "look for kernel files below DIR (default: ${DEFAULT-VALUE})")
  Path root;
}
