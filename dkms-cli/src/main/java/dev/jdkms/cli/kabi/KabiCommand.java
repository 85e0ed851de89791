package dev.jdkms.cli.kabi;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jdkms kabi}: kernel ABI tools. */
@Command(
    name = "kabi",
    mixinStandardHelpOptions = true,
    description = "Kernel ABI (kABI) compatibility of built modules with other kernels.",
    subcommands = {KabiCheckCommand.class, KabiWeakUpdatesCommand.class})
public final class KabiCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: check");
  }
}
