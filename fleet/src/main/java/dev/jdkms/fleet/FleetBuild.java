package dev.jdkms.fleet;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.ModuleRecord;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.engine.Transaction;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.plan.Event;
import dev.jdkms.core.plan.KernelOutcome;
import dev.jdkms.core.plan.Plan.ModuleVersion;
import dev.jdkms.core.plan.UnitOutcome;
import dev.jdkms.core.session.ConfReader;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build farm: every module version for every kernel in one plan of the core's engine (one job
 * budget), on a {@link StagingHost} whose install tree reaches each kernel's headers — installed
 * ones, or those unpacked from their packages — and signed with the fleet's key (the built-in
 * signer; the key itself stays where it is). The result per unit says what to package.
 */
public final class FleetBuild {
  private final FleetRequest request;
  private final Console console;

  public FleetBuild(FleetRequest request, Console console) {
    this.request = request;
    this.console = console;
  }

  /** Builds everything in {@code work} (the staging host) and returns one result per unit. */
  public List<UnitResult> run(Path work) throws FleetException, IOException {
    FleetInput.check(request);
    StagingHost host = new StagingHost(work);
    var paths = host.paths();
    Map<String, Path> unpacked = HeaderPackages.unpack(request.headerPackages(), host.headers());
    for (String k : request.kernels()) {
      host.linkKernel(k, headersOf(k, unpacked));
    }
    Session session = session(paths);
    List<ModuleVersion> modules = new ArrayList<>();
    for (Path source : request.sources()) {
      ModuleVersion mv = FleetInput.names(session, source);
      host.linkSource(mv.module(), mv.version(), source);
      modules.add(mv);
    }
    List<Event> events = new ArrayList<>();
    modules.forEach(
        mv -> events.add(new Event.ModuleAddedFor(mv.module(), mv.version(), request.kernels())));
    Transaction.Outcome outcome;
    try {
      outcome = Transaction.staging(session).run(events);
    } catch (DkmsException e) {
      throw new FleetException(e.exitCode(), String.join(" ", e.lines()), e);
    }
    return results(session, host, modules, outcome);
  }

  private Path headersOf(String kernel, Map<String, Path> unpacked) throws FleetException {
    if (unpacked.containsKey(kernel)) {
      return unpacked.get(kernel);
    }
    Path installed = Path.of("/lib/modules", kernel, "build");
    if (Files.isDirectory(installed.resolve("include"))) {
      return installed;
    }
    throw new FleetException(
        ExitCode.KERNEL_DIR_MISSING,
        "no headers for kernel "
            + kernel
            + ": install linux-headers-"
            + kernel
            + " or give its packages with --headers (found in them: "
            + (unpacked.isEmpty() ? "none" : String.join(", ", unpacked.keySet()))
            + ")");
  }

  /** A drop-in session on the staging host, signing with the fleet's key, depmod left out. */
  private Session session(dev.jdkms.core.host.HostPaths paths) throws FleetException, IOException {
    Map<String, String> signing = new LinkedHashMap<>();
    signing.put("mok_signing_key", request.signingKey().toAbsolutePath().toString());
    signing.put("mok_certificate", request.certificate().toAbsolutePath().toString());
    signing.put("try_sign_modules", "true");
    signing.put("jdkms_signer", "builtin");
    signing.put("post_transaction", "");
    signing.put("modprobe_on_install", "");
    ChildEnvironment env = ChildEnvironment.fromProcess().with(signing);
    DkmsRequest.Builder r = new DkmsRequest.Builder();
    r.noDepmod = true;
    if (request.jobs() > 0) {
      r.parallelJobs = Integer.toString(request.jobs());
    }
    try {
      return Startup.session(console, env, Startup.read(console, env, paths), r.build());
    } catch (DkmsException e) {
      throw new FleetException(e.exitCode(), String.join(" ", e.lines()), e);
    }
  }

  private List<UnitResult> results(
      Session session, StagingHost host, List<ModuleVersion> modules, Transaction.Outcome outcome)
      throws IOException {
    Map<String, UnitOutcome> byKey = new LinkedHashMap<>();
    Map<String, String> kernelFailures = new LinkedHashMap<>();
    for (KernelOutcome k : outcome.kernels()) {
      for (UnitOutcome u : k.units()) {
        byKey.put(u.unit() + " " + k.job().kernel(), u);
      }
      k.preparationFailure()
          .ifPresent(e -> kernelFailures.put(k.job().kernel(), String.join(" ", e.lines())));
    }
    List<UnitResult> out = new ArrayList<>();
    for (ModuleVersion mv : modules) {
      for (String k : request.kernels()) {
        UnitOutcome u = byKey.get(mv + " " + k);
        out.add(result(session, host, mv, k, Optional.ofNullable(u), kernelFailures.get(k)));
      }
    }
    return out;
  }

  private UnitResult result(
      Session session,
      StagingHost host,
      ModuleVersion mv,
      String kernel,
      Optional<UnitOutcome> outcome,
      String kernelFailure)
      throws IOException {
    if (outcome.isEmpty()) {
      String why = kernelFailure != null ? kernelFailure : "not planned (see the notes above)";
      return failed(mv, kernel, why);
    }
    UnitOutcome u = outcome.get();
    return switch (u.result()) {
      case INSTALLED -> built(session, host, mv, kernel);
      case SKIPPED ->
          new UnitResult(
              mv.module(),
              mv.version(),
              kernel,
              UnitResult.Status.SKIPPED,
              List.of(),
              "",
              false,
              "BUILD_EXCLUSIVE");
      default ->
          failed(
              mv,
              kernel,
              u.result().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                  + " (exit "
                  + u.status()
                  + ")"
                  + u.failure().map(f -> "; log: " + f.log()).orElse(""));
    };
  }

  private static UnitResult failed(ModuleVersion mv, String kernel, String why) {
    return new UnitResult(
        mv.module(), mv.version(), kernel, UnitResult.Status.FAILED, List.of(), "", false, why);
  }

  /** The files the engine installed for M/V on K, found by the dkms.conf's destinations. */
  private UnitResult built(Session session, StagingHost host, ModuleVersion mv, String kernel)
      throws IOException {
    DkmsConf conf;
    try {
      conf =
          new ConfReader(session.fork(Console.silent()))
              .read(
                  mv.module(),
                  mv.version(),
                  kernel,
                  dev.jdkms.core.actions.KernelArches.machine(),
                  session.tree().sourceConf(mv.module(), mv.version()));
    } catch (DkmsException e) {
      return failed(mv, kernel, "dkms.conf unreadable after the build: " + e.lines());
    }
    List<Path> files = new ArrayList<>();
    String dest = "";
    for (ModuleRecord m : conf.modules()) {
      dest = m.destLocation();
      Path dir = Path.of(host.kernelDir(kernel) + m.destLocation());
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, m.destName() + ".ko*")) {
        ds.forEach(files::add);
      }
    }
    List<String> names = conf.modules().stream().map(ModuleRecord::destName).toList();
    boolean critical = conf.vars().get("REMAKE_INITRD").matches("(?i)y.*");
    String why = InitramfsNeed.of(session, kernel, names, critical);
    return new UnitResult(
        mv.module(),
        mv.version(),
        kernel,
        UnitResult.Status.BUILT,
        files,
        dest,
        !why.isEmpty(),
        why);
  }
}
