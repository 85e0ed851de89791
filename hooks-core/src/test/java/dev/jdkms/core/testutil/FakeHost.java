package dev.jdkms.core.testutil;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.dkms.Dkms;
import dev.jdkms.core.dkms.Startup;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.host.HostPaths;
import dev.jdkms.core.session.DkmsException;
import dev.jdkms.core.session.DkmsRequest;
import dev.jdkms.core.session.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A host in a temporary directory: Debian's os-release, an empty /etc/dkms, the trees, and a /proc
 * that says this process is root and which kernel runs. {@link #dkms} runs one drop-in action the
 * way {@code DkmsMain} does (start-up, session, run), so tests check what install, uninstall and
 * status really do to files and print, without root and without touching the machine.
 */
public final class FakeHost {
  public static final String ARCH = "x86_64";

  public final Path root;
  public final HostPaths paths;
  private String output = "";

  public FakeHost(Path root, String runningKernel) throws IOException {
    this.root = root;
    this.paths = HostPaths.under(root);
    Files.createDirectories(paths.etcDkms());
    Files.createDirectories(paths.dkmsTree());
    Files.createDirectories(paths.sourceTree());
    Files.createDirectories(paths.installTree());
    Files.createDirectories(paths.tmp());
    Files.writeString(paths.osRelease().get(0), "ID=debian\nVERSION_ID=\"12\"\n");
    write(paths.selfStatus(), "Name:\tjava\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
    write(paths.runningRelease(), runningKernel + "\n");
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** {@code /lib/modules/K}, empty (no modules.dep, so depmod is not run, as upstream). */
  public Path kernel(String release) throws IOException {
    return Files.createDirectories(paths.installTree().resolve(release));
  }

  /** {@code /usr/src/M-V} with {@code conf}, and the tree's {@code M/V/source} link (dkms add). */
  public Path added(String m, String v, String conf) throws IOException {
    Path src = Files.createDirectories(paths.sourceTree().resolve(m + "-" + v));
    Files.writeString(src.resolve("dkms.conf"), conf);
    Path vd = Files.createDirectories(paths.dkmsTree().resolve(m).resolve(v));
    Files.createDirectories(vd.resolve("build"));
    Files.createSymbolicLink(vd.resolve("source"), src);
    return src;
  }

  /** {@code M/V/K/A/module/NAME.ko} with {@code content} (dkms build's result). */
  public Path built(String m, String v, String k, String name, String content) throws IOException {
    Path dir = paths.dkmsTree().resolve(m).resolve(v).resolve(k).resolve(ARCH);
    Files.createDirectories(dir.resolve("log"));
    Files.writeString(dir.resolve("log/make.log"), "make\n");
    Files.createDirectories(dir.resolve("module"));
    return Files.writeString(dir.resolve("module").resolve(name + ".ko"), content);
  }

  /** A dkms.conf for one module {@code m} built as {@code m.ko}, installed under /updates. */
  public static String conf(String m, String v) {
    return "PACKAGE_NAME=\""
        + m
        + "\"\nPACKAGE_VERSION=\""
        + v
        + "\"\nBUILT_MODULE_NAME[0]=\""
        + m
        + "\"\nDEST_MODULE_LOCATION[0]=\"/updates\"\nAUTOINSTALL=\"yes\"\n";
  }

  /** The text printed by the last {@link #dkms} call, stdout and stderr as one stream (2>&1). */
  public String output() {
    return output;
  }

  /** The environment children get: the process's, without what would move the fake host's trees. */
  private static ChildEnvironment environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeAll(List.of("TMPDIR", "parallel_jobs", "autoinstall_all_kernels"));
    return ChildEnvironment.of(env);
  }

  /** A session on this host for {@code request}, started as DkmsMain starts one. */
  public Session session(Console console, DkmsRequest request) throws IOException {
    try {
      ChildEnvironment children = environment();
      return Startup.session(console, children, Startup.read(console, children, paths), request);
    } catch (DkmsException e) {
      throw new IllegalStateException(String.join(" ", e.lines()), e);
    }
  }

  /** Runs {@code dkms ACTION} with the options {@code request} sets; returns the exit status. */
  public int dkms(String action, Consumer<DkmsRequest.Builder> request) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Console console = Console.of(buf, buf);
    ChildEnvironment children = environment();
    int rc;
    Session s = null;
    try {
      Startup startup = Startup.read(console, children, paths);
      DkmsRequest.Builder r = new DkmsRequest.Builder();
      r.action = action;
      request.accept(r);
      s = Startup.session(console, children, startup, r.build());
      rc = Dkms.run(s);
    } catch (DkmsException e) {
      if (s != null) {
        s.report(e);
      } else {
        console.error(e.lines().toArray(new String[0]));
      }
      rc = e.exitCode();
    }
    output = buf.toString(StandardCharsets.UTF_8);
    return rc;
  }

  /** Module {@code m}/{@code v} on {@code kernels} (the -m, -v and -k options). */
  public static Consumer<DkmsRequest.Builder> module(String m, String v, String... kernels) {
    return r -> {
      r.module = m;
      r.moduleVersion = v;
      r.kernels.addAll(List.of(kernels));
    };
  }

  /**
   * {@code /proc/meminfo} saying {@code availableKib} KiB are available (the rest as a host has
   * it).
   */
  public void meminfo(long availableKib) throws IOException {
    write(
        paths.meminfo(),
        "MemTotal:       "
            + (availableKib * 2)
            + " kB\nMemFree:         "
            + (availableKib / 2)
            + " kB\nMemAvailable:   "
            + availableKib
            + " kB\nBuffers:          123456 kB\n");
  }

  /**
   * This process in the cgroup v2 group {@code path} (e.g. {@code /system.slice/x}) with {@code
   * memory.max} (a number or {@code max}), {@code memory.current} and the inactive file pages of
   * {@code memory.stat}.
   */
  public Path cgroupV2(String path, String max, long current, long inactiveFile)
      throws IOException {
    write(paths.selfCgroup(), "0::" + path + "\n");
    write(paths.cgroupFs().resolve("cgroup.controllers"), "cpu memory pids\n");
    Path g = paths.cgroupFs().resolve(path.substring(1));
    write(g.resolve("memory.max"), max + "\n");
    write(g.resolve("memory.current"), current + "\n");
    write(
        g.resolve("memory.stat"),
        "anon 1000\nfile 2000\nactive_file 10\ninactive_file " + inactiveFile + "\n");
    return g;
  }
}
