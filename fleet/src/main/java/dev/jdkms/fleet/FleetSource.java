package dev.jdkms.fleet;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jdkms fleet source}: the source packages of module trees, for module authors ({@code
 * NAME-dkms} as .deb, rpm, pacman package). Every tree's dkms.conf is read by the core's reader (on
 * a private host under {@code work}) and checked before any package is written.
 */
public final class FleetSource {
  private final List<Path> sources;
  private final List<SourceWriter> writers;

  public FleetSource(List<Path> sources, List<SourceWriter> writers) {
    this.sources = List.copyOf(sources);
    this.writers = List.copyOf(writers);
  }

  /** Reads every tree, then writes each one's packages; returns their paths. */
  public List<Path> run(Path work) throws FleetException, IOException {
    if (sources.isEmpty()) {
      throw new FleetException(ExitCode.USAGE, "no module source given (--source DIR)");
    }
    Session session = session(work);
    List<SourceTree> trees = new ArrayList<>();
    for (Path s : sources) {
      if (!Files.isRegularFile(s.resolve("dkms.conf"))) {
        throw new FleetException(ExitCode.CONF_MISSING, "no dkms.conf in " + s);
      }
      ModuleVersion mv = FleetInput.names(session, s);
      trees.add(SourceTree.of(mv.module(), mv.version(), s));
    }
    List<Path> out = new ArrayList<>();
    for (SourceTree t : trees) {
      for (SourceWriter w : writers) {
        out.add(w.write(t));
      }
    }
    return out;
  }

  /** A silent drop-in session on a private host: only its conf reader is used. */
  private static Session session(Path work) throws FleetException, IOException {
    Console silent = Console.silent();
    ChildEnvironment env = ChildEnvironment.fromProcess();
    try {
      return Startup.session(
          silent,
          env,
          Startup.read(silent, env, new StagingHost(work).paths()),
          new DkmsRequest.Builder().build());
    } catch (DkmsException e) {
      throw new FleetException(e.exitCode(), String.join(" ", e.lines()), e);
    }
  }
}
