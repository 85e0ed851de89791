package dev.jdkms.core.session;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code dkms} command line, parsed with upstream's rules: immutable once built (the CLI fills
 * a {@link Builder}). Fields mirror upstream's globals so the actions read like the behaviour they
 * reproduce; where upstream changes one of them for a part of its work (a subshell for one module,
 * one kernel), jdkms derives a copy ({@link #forModule}, {@link #forKernels}…) and runs that part
 * in a session made for it ({@link Session#fork}).
 */
public final class DkmsRequest {
  public final String action;
  public final String module;
  public final String moduleVersion;
  public final List<String> kernels;
  public final List<String> arches;
  public final String templateKernel;
  public final String conf;
  public final String kernelConfig;
  public final boolean kernelConfigFromCli;
  public final String archive;
  public final String kernelSourceDir;
  public final boolean kernelSourceDirFromCli;
  public final List<String> directives;
  public final boolean force;
  public final boolean forceVersionOverride;
  public final boolean binariesOnly;
  public final boolean sourceOnly;
  public final boolean all;
  public final boolean verbose;
  public final boolean rpmSafeUpgrade;

  /** null: not given (framework.conf's value stays). */
  public final String dkmsTree;

  public final String sourceTree;
  public final String installTree;
  public final boolean symlinkModules;
  public final boolean noDepmod;
  public final boolean modprobeOnInstall;
  public final String parallelJobs;
  public final String trySourceTree;
  public final boolean quiet;

  /** Deprecated options seen, in order, to warn about once the console exists. */
  public final List<String> deprecatedOptions;

  /** Words upstream warns it does not know how to handle. */
  public final List<String> unknownWords;

  /** An empty command line ({@code dkms} with no arguments). */
  public DkmsRequest() {
    this(new Builder());
  }

  private DkmsRequest(Builder b) {
    this.action = b.action;
    this.module = b.module;
    this.moduleVersion = b.moduleVersion;
    this.kernels = List.copyOf(b.kernels);
    this.arches = List.copyOf(b.arches);
    this.templateKernel = b.templateKernel;
    this.conf = b.conf;
    this.kernelConfig = b.kernelConfig;
    this.kernelConfigFromCli = b.kernelConfigFromCli;
    this.archive = b.archive;
    this.kernelSourceDir = b.kernelSourceDir;
    this.kernelSourceDirFromCli = b.kernelSourceDirFromCli;
    this.directives = List.copyOf(b.directives);
    this.force = b.force;
    this.forceVersionOverride = b.forceVersionOverride;
    this.binariesOnly = b.binariesOnly;
    this.sourceOnly = b.sourceOnly;
    this.all = b.all;
    this.verbose = b.verbose;
    this.rpmSafeUpgrade = b.rpmSafeUpgrade;
    this.dkmsTree = b.dkmsTree;
    this.sourceTree = b.sourceTree;
    this.installTree = b.installTree;
    this.symlinkModules = b.symlinkModules;
    this.noDepmod = b.noDepmod;
    this.modprobeOnInstall = b.modprobeOnInstall;
    this.parallelJobs = b.parallelJobs;
    this.trySourceTree = b.trySourceTree;
    this.quiet = b.quiet;
    this.deprecatedOptions = List.copyOf(b.deprecatedOptions);
    this.unknownWords = List.copyOf(b.unknownWords);
  }

  /** A builder holding this request's values, to derive another from. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.action = action;
    b.module = module;
    b.moduleVersion = moduleVersion;
    b.kernels.addAll(kernels);
    b.arches.addAll(arches);
    b.templateKernel = templateKernel;
    b.conf = conf;
    b.kernelConfig = kernelConfig;
    b.kernelConfigFromCli = kernelConfigFromCli;
    b.archive = archive;
    b.kernelSourceDir = kernelSourceDir;
    b.kernelSourceDirFromCli = kernelSourceDirFromCli;
    b.directives.addAll(directives);
    b.force = force;
    b.forceVersionOverride = forceVersionOverride;
    b.binariesOnly = binariesOnly;
    b.sourceOnly = sourceOnly;
    b.all = all;
    b.verbose = verbose;
    b.rpmSafeUpgrade = rpmSafeUpgrade;
    b.dkmsTree = dkmsTree;
    b.sourceTree = sourceTree;
    b.installTree = installTree;
    b.symlinkModules = symlinkModules;
    b.noDepmod = noDepmod;
    b.modprobeOnInstall = modprobeOnInstall;
    b.parallelJobs = parallelJobs;
    b.trySourceTree = trySourceTree;
    b.quiet = quiet;
    b.deprecatedOptions.addAll(deprecatedOptions);
    b.unknownWords.addAll(unknownWords);
    return b;
  }

  /**
   * A copy for module {@code m}, version {@code v}: one unit of work, as upstream's {@code
   * (module=M module_version=V ...)} subshell sees the command line.
   */
  public DkmsRequest forModule(String m, String v) {
    Builder b = toBuilder();
    b.module = m;
    b.moduleVersion = v;
    return b.build();
  }

  /** A copy for {@code kernels}, each with the arch at the same index of {@code arches}. */
  public DkmsRequest forKernels(List<String> kernels, List<String> arches) {
    Builder b = toBuilder();
    b.kernels.clear();
    b.kernels.addAll(kernels);
    b.arches.clear();
    b.arches.addAll(arches);
    return b.build();
  }

  /** A copy whose installs and removals leave depmod to the caller (it runs once at the end). */
  public DkmsRequest withoutDepmod() {
    Builder b = toBuilder();
    b.noDepmod = true;
    return b.build();
  }

  /** A copy that reads {@code conf} as the module's dkms.conf ({@code -c}). */
  public DkmsRequest withConf(String conf) {
    Builder b = toBuilder();
    b.conf = conf;
    return b.build();
  }

  /**
   * A command line as it is parsed: the same fields, changeable until {@link #build}. Only the
   * parsers (the CLI, the hook entry points, tests) hold one; the core receives the built request.
   */
  public static final class Builder {
    public String action = "";
    public String module = "";
    public String moduleVersion = "";
    public final List<String> kernels = new ArrayList<>();
    public final List<String> arches = new ArrayList<>();
    public String templateKernel = "";
    public String conf = "";
    public String kernelConfig = "";
    public boolean kernelConfigFromCli;
    public String archive = "";
    public String kernelSourceDir = "";
    public boolean kernelSourceDirFromCli;
    public final List<String> directives = new ArrayList<>();
    public boolean force;
    public boolean forceVersionOverride;
    public boolean binariesOnly;
    public boolean sourceOnly;
    public boolean all;
    public boolean verbose;
    public boolean rpmSafeUpgrade;
    public String dkmsTree = null;
    public String sourceTree = null;
    public String installTree = null;
    public boolean symlinkModules;
    public boolean noDepmod;
    public boolean modprobeOnInstall;
    public String parallelJobs = null;
    public String trySourceTree = "";
    public boolean quiet;
    public final List<String> deprecatedOptions = new ArrayList<>();
    public final List<String> unknownWords = new ArrayList<>();

    public DkmsRequest build() {
      return new DkmsRequest(this);
    }
  }
}
