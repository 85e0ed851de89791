package dev.jdkms.core.session;

import dev.jdkms.core.conf.DkmsConf;
import dev.jdkms.core.conf.EvaluationCache;
import dev.jdkms.core.conf.ShellEvaluator;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.BuildProgress;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.exec.MakeTurn;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.kernel.KernelTree;
import dev.jdkms.core.secureboot.SecureBootNotice;
import dev.jdkms.core.sign.SigningPlan;
import dev.jdkms.core.tree.DkmsTree;
import dev.jdkms.core.tree.PrebuiltModules;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything one dkms invocation knows: the console, the environment children get, the
 * distribution, the framework settings and the request. Upstream keeps this in bash globals; a few
 * of them change while an action runs ({@link #state()}), and the parts upstream runs in a subshell
 * must not leak those changes, which {@link #subshell} reproduces.
 */
public final class Session {
  private Console console;
  private ChildEnvironment environment;
  private MakeTurn makeTurn = MakeTurn.NONE;
  private BuildProgress progress = BuildProgress.NONE;
  private boolean terminal;
  private boolean phaseLines;
  private final Distribution distribution;
  private final Map<String, String> settings;
  private final DkmsRequest request;
  private final String addonModulesDir;
  private final HostPaths host;
  private MutableState state = new MutableState();
  // shared with forks: the whole process reuses a dkms.conf evaluation
  private EvaluationCache confCache = new EvaluationCache();
  // shared with forks too: the Secure Boot notice is given once per run
  private SecureBootNotice secureBootNotice;

  /** The parts of upstream's global state that actions change as they go. */
  public static final class MutableState {
    public String lastConfKey = "";
    public DkmsConf lastConf;
    public String preparedKernel = "none";
    public SigningPlan signing;
    public boolean force;
    public boolean forceVersionOverride;
    public Map<String, String> buildExports = new HashMap<>();

    MutableState copy() {
      MutableState s = new MutableState();
      s.lastConfKey = lastConfKey;
      s.lastConf = lastConf;
      s.preparedKernel = preparedKernel;
      s.signing = signing;
      s.force = force;
      s.forceVersionOverride = forceVersionOverride;
      s.buildExports = new HashMap<>(buildExports);
      return s;
    }
  }

  /** A session on the real host. */
  public Session(
      Console console,
      ChildEnvironment environment,
      Distribution distribution,
      Map<String, String> settings,
      DkmsRequest request,
      String addonModulesDir) {
    this(console, environment, distribution, settings, request, addonModulesDir, HostPaths.REAL);
  }

  public Session(
      Console console,
      ChildEnvironment environment,
      Distribution distribution,
      Map<String, String> settings,
      DkmsRequest request,
      String addonModulesDir,
      HostPaths host) {
    this.host = host;
    this.secureBootNotice = new SecureBootNotice(host.sys());
    this.console = console;
    this.environment = environment;
    this.distribution = distribution;
    this.settings = new HashMap<>(settings);
    this.request = request;
    this.addonModulesDir = addonModulesDir == null ? "" : addonModulesDir;
    state.force = request.force;
    state.forceVersionOverride = request.forceVersionOverride;
  }

  /** A piece of work that may fail with an exit status. */
  @FunctionalInterface
  public interface Work {
    void run() throws DkmsException;
  }

  /**
   * Runs {@code work} as upstream runs it in {@code ( ... )}: state changes do not survive, and a
   * {@code die} inside ends only this part: its messages are printed and its status returned.
   */
  public int subshell(Work work) {
    MutableState saved = state;
    state = saved.copy();
    try {
      work.run();
      return 0;
    } catch (DkmsException e) {
      report(e);
      return e.exitCode();
    } finally {
      state = saved;
    }
  }

  /**
   * A session for work that runs beside this one (a parallel build): its own console, the same
   * request and a copy of the current state, as a bash subshell started now would have; nothing it
   * changes comes back.
   */
  public Session fork(Console console) {
    return fork(console, request);
  }

  /**
   * {@link #fork(Console)} with {@code request}, a copy the caller derived from this session's (for
   * one module, one kernel): what upstream's {@code (module=M ...)} subshell sees.
   */
  public Session fork(Console console, DkmsRequest request) {
    Session s =
        new Session(console, environment, distribution, settings, request, addonModulesDir, host);
    s.state = state.copy();
    s.confCache = confCache;
    s.secureBootNotice = secureBootNotice;
    s.makeTurn = makeTurn;
    s.progress = progress;
    s.terminal = terminal;
    s.phaseLines = phaseLines;
    return s;
  }

  /** Prints an exception's lines the way upstream's die/diewarn did. */
  public void report(DkmsException e) {
    if (e.isPrinted()) {
      return;
    }
    String[] lines = e.lines().toArray(new String[0]);
    if (e.isWarning()) {
      console.warn(lines);
    } else {
      console.error(lines);
    }
  }

  public SecureBootNotice secureBootNotice() {
    return secureBootNotice;
  }

  public Console console() {
    return console;
  }

  public void setConsole(Console console) {
    this.console = console;
  }

  public ChildEnvironment environment() {
    return environment;
  }

  public void setEnvironment(ChildEnvironment environment) {
    this.environment = environment;
  }

  /** When this session's make commands may run (a scheduled build waits for its turn). */
  public MakeTurn makeTurn() {
    return makeTurn;
  }

  public void setMakeTurn(MakeTurn makeTurn) {
    this.makeTurn = makeTurn;
  }

  /** Where this session's build reports its phases. */
  public BuildProgress progress() {
    return progress;
  }

  public void setProgress(BuildProgress progress) {
    this.progress = progress;
  }

  /**
   * True when stdout is a terminal: builds then say their phases on new lines instead of upstream's
   * row of dots (the drop-in's console is upstream's everywhere else).
   */
  public boolean terminal() {
    return terminal;
  }

  public void setTerminal(boolean terminal) {
    this.terminal = terminal;
  }

  /**
   * True when builds say their phases on lines of their own instead of upstream's row of dots: on a
   * terminal, and always in jdkms's engine and the hooks ({@link #showPhaseLines}).
   */
  public boolean phaseLines() {
    return terminal || phaseLines;
  }

  /** Builds of this session and its forks say their phases instead of printing dots. */
  public void showPhaseLines() {
    this.phaseLines = true;
  }

  public ShellEvaluator evaluator() {
    return new ShellEvaluator(console, environment, confCache);
  }

  public Distribution distribution() {
    return distribution;
  }

  public DkmsRequest request() {
    return request;
  }

  public MutableState state() {
    return state;
  }

  /** Where the host's files are (the real ones, or a test's fake host). */
  public HostPaths host() {
    return host;
  }

  /**
   * The prebuilt module packages installed ({@code /usr/lib/jdkms/prebuilt}), read now; a manifest
   * ignored is one warning line on stderr.
   */
  public PrebuiltModules prebuilt() {
    return PrebuiltModules.read(host.prebuiltManifests(), console::errln);
  }

  public String addonModulesDir() {
    return addonModulesDir;
  }

  /** A framework setting ("" when unset). */
  public String setting(String name) {
    String v = settings.get(name);
    return v == null ? "" : v;
  }

  /** True when the setting exists at all (unset differs from empty for a few of them). */
  public boolean hasSetting(String name) {
    return settings.containsKey(name);
  }

  public void putSetting(String name, String value) {
    settings.put(name, value);
  }

  public Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  public Path dkmsTreeRoot() {
    return Path.of(setting("dkms_tree"));
  }

  public Path installTree() {
    return Path.of(setting("install_tree"));
  }

  public DkmsTree tree() {
    return new DkmsTree(dkmsTreeRoot(), Path.of(setting("source_tree")));
  }

  public KernelTree kernel(String release) {
    return new KernelTree(installTree(), release);
  }

  public boolean verbose() {
    return !setting("verbose").isEmpty();
  }

  /** {@code $kernel_source_dir} for a kernel: the --kernelsourcedir value, or K/build. */
  public Path kernelSourceDir(String kernel) {
    if (request.kernelSourceDirFromCli) {
      return Path.of(request.kernelSourceDir);
    }
    return installTree().resolve(kernel).resolve("build");
  }

  /** {@code $kernel_config} for a kernel: --config, else auto.conf, else .config. */
  public Path kernelConfig(String kernel) {
    if (request.kernelConfigFromCli) {
      return Path.of(request.kernelConfig);
    }
    return KernelTree.configOf(kernelSourceDir(kernel));
  }
}
