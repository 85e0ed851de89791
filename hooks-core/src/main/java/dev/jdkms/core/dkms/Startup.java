package dev.jdkms.core.dkms;

import dev.jdkms.core.conf.ConfException;
import dev.jdkms.core.conf.FrameworkConf;
import dev.jdkms.core.conf.ShellEvaluator;
import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.host.Terminal;
import dev.jdkms.core.kernel.Distribution;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.ExitCode;
import dev.jdkms.core.session.Session;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * What the drop-in's start-up found before the command line is parsed (upstream's top of program:
 * os-release, the defaults, framework.conf), and the session a request runs in.
 */
public record Startup(
    Distribution distribution, Map<String, String> settings, String addonDir, HostPaths host) {

  /** upstream's top of program on the real host. */
  public static Startup read(Console console, ChildEnvironment env)
      throws DkmsException, IOException {
    return read(console, env, HostPaths.REAL);
  }

  /** upstream's top of program: distribution, defaults, framework.conf (non-signing part). */
  public static Startup read(Console console, ChildEnvironment env, HostPaths host)
      throws DkmsException, IOException {
    Optional<Distribution> d = Distribution.detect(host.osRelease());
    if (d.isEmpty()) {
      throw DkmsException.die(ExitCode.OS_RELEASE_MISSING, "System is missing os-release file.");
    }
    Map<String, String> ctx = ShellEvaluator.context();
    ctx.put("dkms_tree", host.dkmsTree().toString());
    ctx.put("source_tree", host.sourceTree().toString());
    ctx.put("install_tree", host.installTree().toString());
    String tmp = env.get("TMPDIR");
    ctx.put("tmp_location", tmp == null || tmp.isEmpty() ? host.tmp().toString() : tmp);
    ctx.put("verbose", "");
    ctx.put("symlink_modules", "");
    ctx.put("compress_gzip_opts", "");
    ctx.put("compress_xz_opts", "--check=crc32 --lzma2=dict=1MiB");
    ctx.put("compress_zstd_opts", "-q --rm -T0");
    // These survive from the environment because upstream never resets them.
    for (String inherited :
        new String[] {
          "autoinstall_all_kernels",
          "modprobe_on_install",
          "parallel_jobs",
          "build_environment",
          "post_transaction",
          "jdkms_signer"
        }) {
      if (env.get(inherited) != null) {
        ctx.put(inherited, env.get(inherited));
      }
    }
    Map<String, String> settings;
    try {
      settings =
          new FrameworkConf(host.etcDkms(), new ShellEvaluator(console, env))
              .read(ctx, FrameworkConf.NON_SIGNING);
    } catch (ConfException e) {
      throw DkmsException.die(ExitCode.FAILURE, e.getMessage());
    }
    String addon = env.get("ADDON_MODULES_DIR");
    return new Startup(d.get(), settings, addon == null ? "" : addon, host);
  }

  /** Applies command-line settings over framework.conf ones (options are parsed after it). */
  public static Session session(
      Console console, ChildEnvironment env, Startup startup, DkmsRequest r) {
    Session s =
        new Session(
            console,
            env,
            startup.distribution(),
            startup.settings(),
            r,
            startup.addonDir(),
            startup.host());
    if (r.dkmsTree != null) {
      s.putSetting("dkms_tree", r.dkmsTree);
    }
    if (r.sourceTree != null) {
      s.putSetting("source_tree", r.sourceTree);
    }
    if (r.installTree != null) {
      s.putSetting("install_tree", r.installTree);
    }
    if (r.verbose) {
      s.putSetting("verbose", "true");
    }
    if (r.symlinkModules) {
      s.putSetting("symlink_modules", "true");
    }
    if (r.modprobeOnInstall) {
      s.putSetting("modprobe_on_install", "true");
    }
    if (r.parallelJobs != null) {
      s.putSetting("parallel_jobs", r.parallelJobs);
    }
    s.setTerminal(Terminal.stdout(startup.host()));
    return s;
  }
}
