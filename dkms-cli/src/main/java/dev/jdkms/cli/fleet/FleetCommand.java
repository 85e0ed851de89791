package dev.jdkms.cli.fleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jdkms fleet}: build once, install everywhere (binary module packages for fleets), and the
 * source packages of module trees.
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = {
      "Build modules once on a build machine and hand them to a fleet as signed binary packages"
          + " (build), or package a module's source as NAME-dkms for module authors (source)."
    },
    subcommands = {FleetBuildCommand.class, FleetSourceCommand.class})
public final class FleetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing command: jdkms fleet build|source ...");
  }
}
