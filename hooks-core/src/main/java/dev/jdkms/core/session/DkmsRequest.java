package dev.jdkms.core.session;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code dkms} command line, parsed with upstream's rules (the CLI fills it). Fields mirror
 * upstream's globals so the actions read like the behaviour they reproduce.
 */
public final class DkmsRequest {
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
  public String dkmsTree;
  public String sourceTree;
  public String installTree;
  public boolean symlinkModules;
  public boolean noDepmod;
  public boolean modprobeOnInstall;
  public String parallelJobs;
  public String trySourceTree = "";
  public boolean quiet;

  /** Deprecated options seen, in order, to warn about once the console exists. */
  public final List<String> deprecatedOptions = new ArrayList<>();

  /** Words upstream warns it does not know how to handle. */
  public final List<String> unknownWords = new ArrayList<>();

  /** An independent copy (a session forked for work running beside this one). */
  public DkmsRequest copy() {
    DkmsRequest c = new DkmsRequest();
    c.action = action;
    c.module = module;
    c.moduleVersion = moduleVersion;
    c.kernels.addAll(kernels);
    c.arches.addAll(arches);
    c.templateKernel = templateKernel;
    c.conf = conf;
    c.kernelConfig = kernelConfig;
    c.kernelConfigFromCli = kernelConfigFromCli;
    c.archive = archive;
    c.kernelSourceDir = kernelSourceDir;
    c.kernelSourceDirFromCli = kernelSourceDirFromCli;
    c.directives.addAll(directives);
    c.force = force;
    c.forceVersionOverride = forceVersionOverride;
    c.binariesOnly = binariesOnly;
    c.sourceOnly = sourceOnly;
    c.all = all;
    c.verbose = verbose;
    c.rpmSafeUpgrade = rpmSafeUpgrade;
    c.dkmsTree = dkmsTree;
    c.sourceTree = sourceTree;
    c.installTree = installTree;
    c.symlinkModules = symlinkModules;
    c.noDepmod = noDepmod;
    c.modprobeOnInstall = modprobeOnInstall;
    c.parallelJobs = parallelJobs;
    c.trySourceTree = trySourceTree;
    c.quiet = quiet;
    c.deprecatedOptions.addAll(deprecatedOptions);
    c.unknownWords.addAll(unknownWords);
    return c;
  }

  /**
   * A copy for module {@code m}, version {@code v}: one unit of work, as upstream's {@code
   * (module=M module_version=V ...)} subshell sees the command line.
   */
  public DkmsRequest forModule(String m, String v) {
    DkmsRequest c = copy();
    c.module = m;
    c.moduleVersion = v;
    return c;
  }

  /** A copy for {@code kernels}, each with the arch at the same index of {@code arches}. */
  public DkmsRequest forKernels(List<String> kernels, List<String> arches) {
    DkmsRequest c = copy();
    c.kernels.clear();
    c.kernels.addAll(kernels);
    c.arches.clear();
    c.arches.addAll(arches);
    return c;
  }

  /** A copy whose installs and removals leave depmod to the caller (it runs once at the end). */
  public DkmsRequest withoutDepmod() {
    DkmsRequest c = copy();
    c.noDepmod = true;
    return c;
  }

  /** A copy that reads {@code conf} as the module's dkms.conf ({@code -c}). */
  public DkmsRequest withConf(String conf) {
    DkmsRequest c = copy();
    c.conf = conf;
    return c;
  }
}
