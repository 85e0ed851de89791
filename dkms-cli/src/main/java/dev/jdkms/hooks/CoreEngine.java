package dev.jdkms.hooks;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.engine.BootCritical;
import dev.jdkms.core.engine.Transaction;
import dev.jdkms.core.engine.TransactionReport;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's transaction engine in this process: framework.conf is read once at start-up, every run
 * prints the engine's console and its summary exactly as {@code jdkms transaction} does, and the
 * outcome comes back typed (no failures file, no parsing of the summary).
 */
public final class CoreEngine implements Engine {
  private final Console console;
  private final ChildEnvironment env;
  private final String[] trees;
  private boolean started;
  private Startup startup;
  private DkmsException startupFailure;

  public CoreEngine(Console console) {
    this(console, null);
  }

  private CoreEngine(Console console, String[] trees) {
    this.console = console;
    this.env = ChildEnvironment.fromProcess();
    this.trees = trees;
  }

  /**
   * An engine over other trees than framework.conf's (the start-up cache's training run makes a
   * throwaway one, so that what a hook loads is in the cache).
   */
  public static CoreEngine overTrees(
      Console console, Path dkmsTree, Path sourceTree, Path installTree) {
    return new CoreEngine(
        console, new String[] {dkmsTree.toString(), sourceTree.toString(), installTree.toString()});
  }

  /**
   * Reads os-release and framework.conf on first use (a hook that only notes paths never does); a
   * failure is reported when the engine is run.
   */
  private Startup startup() {
    if (!started) {
      started = true;
      try {
        startup = Startup.read(console, env);
      } catch (DkmsException e) {
        startupFailure = e;
      } catch (IOException | UncheckedIOException e) {
        startupFailure = DkmsException.die(ExitCode.FAILURE, "jdkms: " + e.getMessage());
      }
    }
    return startup;
  }

  @Override
  public Locations locations() {
    if (startup() == null) {
      return Locations.standard();
    }
    Session s = session(false);
    return new Locations(s.tree().root(), s.installTree(), s.host().boot());
  }

  @Override
  public String setting(String name) {
    return startup() == null ? "" : session(false).setting(name);
  }

  private Session session(boolean verbose) {
    DkmsRequest.Builder r = new DkmsRequest.Builder();
    r.action = "transaction";
    r.verbose = verbose;
    if (trees != null) {
      r.dkmsTree = trees[0];
      r.sourceTree = trees[1];
      r.installTree = trees[2];
    }
    return Startup.session(console, env, startup, r.build());
  }

  @Override
  public EngineResult run(Request request) {
    try {
      if (startup() == null) {
        throw startupFailure;
      }
      Session s = session(request.verbose());
      Transaction t = new Transaction(s);
      Transaction.Outcome o =
          t.run(t.withChangedPaths(request.events(), request.installed(), request.removed()));
      TransactionReport.print(console, o);
      List<EngineResult.Failure> failures = new ArrayList<>();
      for (TransactionReport.FailedUnit u : TransactionReport.failedUnits(o)) {
        failures.add(
            new EngineResult.Failure(
                u.module(), u.kernel(), u.bootCritical(), u.outcome(), u.log()));
      }
      return new EngineResult(o.status(), failures, o.problems());
    } catch (DkmsException e) {
      if (!e.isPrinted()) {
        console.error(e.lines().toArray(new String[0]));
      }
      return EngineResult.stopped(e.exitCode());
    } catch (IOException | UncheckedIOException e) {
      console.error("jdkms: " + e.getMessage());
      return EngineResult.stopped(ExitCode.FAILURE);
    } catch (RuntimeException e) {
      // A bug must meet the host's policy like any failure (a kernel install is not failed for it).
      console.error("jdkms: internal error: " + e);
      return EngineResult.stopped(ExitCode.FAILURE);
    }
  }

  @Override
  public List<String> prebuiltMissing(String kernel) {
    if (startup() == null) {
      return List.of();
    }
    try {
      return new Transaction(session(false)).prebuiltMissing(kernel);
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  @Override
  public List<String> bootCriticalModules(String kernel) {
    if (startup() == null) {
      return List.of();
    }
    try {
      return BootCritical.registeredFor(session(false), kernel);
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }
}
