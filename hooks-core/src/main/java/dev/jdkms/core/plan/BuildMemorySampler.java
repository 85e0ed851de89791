package dev.jdkms.core.plan;

import dev.jdkms.core.host.HostPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The peak memory of each build's process tree: every child of this process carries its build's id
 * in {@link #ENV} (make passes the environment on to every compiler), and a sample sums the
 * resident memory ({@code VmRSS}) of the processes of each build. Shared library pages are counted
 * once per process, so the sum errs on the high side, which is the safe side for a budget. A sample
 * every {@link #INTERVAL_MILLIS} catches every compile job but the shortest, whose memory is the
 * least.
 */
final class BuildMemorySampler implements AutoCloseable {
  /** The variable that names a process's build. */
  static final String ENV = "JDKMS_BUILD";

  static final long INTERVAL_MILLIS = 500;

  /** A process's environment is read up to here (a build's is far smaller). */
  private static final int ENVIRON_MAX = 256 * 1024;

  private final HostPaths paths;
  private final Supplier<LongStream> pids;
  private final Map<String, Long> peaks = new ConcurrentHashMap<>();

  /** Per pid seen in the last sample: its build, or empty (not a build's process). */
  private Map<Long, Optional<String>> owners = new HashMap<>();

  private Thread thread;

  /**
   * @param paths where /proc is
   * @param pids the processes to look at (this process's descendants)
   */
  BuildMemorySampler(HostPaths paths, Supplier<LongStream> pids) {
    this.paths = paths;
    this.pids = pids;
  }

  /** Samples this process's descendants on the real host until closed. */
  static BuildMemorySampler ofThisProcess(HostPaths paths) {
    BuildMemorySampler s =
        new BuildMemorySampler(
            paths, () -> ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid));
    s.thread = new Thread(s::loop, "jdkms-memory");
    s.thread.setDaemon(true);
    s.thread.start();
    return s;
  }

  /** Starts counting a build's peak. */
  void started(String build) {
    peaks.put(build, 0L);
  }

  /** Stops counting a build; its peak in bytes (0: no process of it was ever seen). */
  long finished(String build) {
    Long p = peaks.remove(build);
    return p == null ? 0 : p;
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        sample();
        Thread.sleep(INTERVAL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One sample: each running build's memory now, kept when it is its highest. */
  synchronized void sample() {
    if (peaks.isEmpty()) {
      owners = new HashMap<>();
      return;
    }
    Map<Long, Optional<String>> seen = new HashMap<>();
    Map<String, Long> now = new HashMap<>();
    pids.get()
        .forEach(
            pid -> {
              Optional<String> owner = owners.get(pid);
              if (owner == null) {
                owner = buildOf(pid);
              }
              seen.put(pid, owner);
              if (owner.isPresent() && peaks.containsKey(owner.get())) {
                now.merge(owner.get(), residentBytes(pid), Long::sum);
              }
            });
    owners = seen;
    now.forEach((b, bytes) -> peaks.computeIfPresent(b, (k, old) -> Math.max(old, bytes)));
  }

  /** The build named in a process's environment. */
  private Optional<String> buildOf(long pid) {
    byte[] env;
    try (InputStream in = Files.newInputStream(paths.processEnviron(pid))) {
      env = in.readNBytes(ENVIRON_MAX);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    String s = new String(env, StandardCharsets.ISO_8859_1);
    String key = ENV + "=";
    for (String entry : s.split("\0")) {
      if (entry.startsWith(key) && entry.length() <= key.length() + 32) {
        return Optional.of(entry.substring(key.length()));
      }
    }
    return Optional.empty();
  }

  /** A process's resident memory in bytes ({@code VmRSS}; 0 when gone or unreadable). */
  private long residentBytes(long pid) {
    try (InputStream in = Files.newInputStream(paths.processStatus(pid))) {
      String status = new String(in.readNBytes(16 * 1024), StandardCharsets.ISO_8859_1);
      for (String line : status.split("\n")) {
        if (line.startsWith("VmRSS:")) {
          String kib = line.substring(6).trim().split("\\s+")[0];
          if (kib.matches("[0-9]{1,12}")) {
            return Long.parseLong(kib) * 1024;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between the listing and the read
    }
    return 0;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
