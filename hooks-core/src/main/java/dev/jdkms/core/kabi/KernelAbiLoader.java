package dev.jdkms.core.kabi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a kernel's ABI on a system (below {@code root}, "/" normally) and caches it by content: the
 * files are fingerprinted by path, size and mtime; on a change their bytes are hashed, and an ABI
 * already computed from identical bytes (another path, a reinstalled package) is reused.
 *
 * <p>Where each part comes from, first found wins:
 *
 * <ul>
 *   <li>symvers: {@code /boot/symvers-K.{xz,gz,zst}}, {@code /lib/modules/K/symvers.{xz,gz,zst}},
 *       {@code /lib/modules/K/build/Module.symvers}, {@code /usr/src/kernels/K/Module.symvers},
 *       {@code /usr/src/linux-headers-K/Module.symvers};
 *   <li>config: {@code /boot/config-K}, {@code /lib/modules/K/build/.config}, {@code
 *       /lib/modules/K/config};
 *   <li>vermagic, {@code struct module} size, ELF flavour: an in-tree module of K (from {@code
 *       modules.dep}), else a reference module given by the caller whose vermagic names K (a DKMS
 *       build for K), else the vermagic derived from the config (x86_64 and arm64 only);
 *   <li>{@code modules.builtin} and {@code modules.dep} of K.
 * </ul>
 */
public final class KernelAbiLoader {
  private static final Map<String, KernelAbi> BY_STATS = new ConcurrentHashMap<>();
  private static final Map<String, Computed> BY_CONTENT = new ConcurrentHashMap<>();

  /** An ABI with the exact input bytes it was computed from (a key match is verified on them). */
  private record Computed(List<byte[]> inputs, KernelAbi abi) {}

  private final Path root;
  private final List<Path> referenceModules;

  /** Loads from the real system: {@code root} "/" and no reference modules. */
  public KernelAbiLoader() {
    this(Path.of("/"), List.of());
  }

  /**
   * @param root the file-system root to look below (a test tree, a chroot)
   * @param referenceModules modules known to be built against a kernel's headers (DKMS builds);
   *     used for the kernel their vermagic names when it has no in-tree module
   */
  public KernelAbiLoader(Path root, List<Path> referenceModules) {
    this.root = root;
    this.referenceModules = List.copyOf(referenceModules);
  }

  /** Empties the process-wide caches (benchmarks measure cold runs with it). */
  public static void clearCache() {
    BY_STATS.clear();
    BY_CONTENT.clear();
  }

  /**
   * The ABI of {@code release}. Parts that cannot be found are unknown in the result.
   *
   * @throws IOException if a file exists but cannot be read
   */
  public KernelAbi load(String release) throws IOException {
    Path mods = root.resolve("lib/modules").resolve(release);
    Inputs in = new Inputs();
    in.symvers =
        first(
            root.resolve("boot/symvers-" + release + ".xz"),
            root.resolve("boot/symvers-" + release + ".gz"),
            root.resolve("boot/symvers-" + release + ".zst"),
            mods.resolve("symvers.xz"),
            mods.resolve("symvers.gz"),
            mods.resolve("symvers.zst"),
            mods.resolve("build/Module.symvers"),
            root.resolve("usr/src/kernels/" + release + "/Module.symvers"),
            root.resolve("usr/src/linux-headers-" + release + "/Module.symvers"));
    in.config =
        first(
            root.resolve("boot/config-" + release),
            mods.resolve("build/.config"),
            mods.resolve("config"));
    in.builtin = first(mods.resolve("modules.builtin"));
    in.dep = first(mods.resolve("modules.dep"));
    in.randstruct = first(mods.resolve("build/include/generated/randstruct_hash.h"));
    in.machine = MachineState.describe(root, release);
    List<Path> refs = new ArrayList<>();
    refs.addAll(referenceModules);
    String statsKey = in.statsKey(release, refs);
    KernelAbi cached = BY_STATS.get(statsKey);
    if (cached != null) {
      return cached;
    }
    Map<Path, byte[]> bytes = in.readAll();
    List<byte[]> inputs = new ArrayList<>(bytes.values());
    String contentKey = release + "\0" + in.machine + "\0" + fingerprint(bytes, refs);
    Computed known = BY_CONTENT.get(contentKey);
    KernelAbi abi;
    if (known != null && sameBytes(known.inputs(), inputs)) {
      abi = known.abi();
    } else {
      abi = new KernelAbiParts(root, release, in, bytes, refs).build();
      BY_CONTENT.put(contentKey, new Computed(inputs, abi));
    }
    BY_STATS.put(statsKey, abi);
    return abi;
  }

  /**
   * The ABIs of several releases, loaded in parallel (one task per release, at most one thread per
   * core), in the order given.
   */
  public List<KernelAbi> loadAll(List<String> releases) throws IOException {
    if (releases.size() < 2) {
      List<KernelAbi> out = new ArrayList<>();
      for (String r : releases) {
        out.add(load(r));
      }
      return out;
    }
    int threads = Math.min(releases.size(), Runtime.getRuntime().availableProcessors());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "kabi-load");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<KernelAbi>> futures = new ArrayList<>();
      for (String r : releases) {
        futures.add(pool.submit(() -> load(r)));
      }
      List<KernelAbi> out = new ArrayList<>();
      for (java.util.concurrent.Future<KernelAbi> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while loading kernel ABIs");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Path first(Path... candidates) {
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * A cheap content fingerprint (names, lengths, CRC32C): a match is then confirmed byte by byte,
   * so a collision can cost a comparison, never a wrong ABI. (SHA-256 would cost ~30 ms of JCA
   * start-up on a cold JVM, a tenth of a whole kernel-hook run.)
   */
  private static String fingerprint(Map<Path, byte[]> bytes, List<Path> refs) {
    StringBuilder b = new StringBuilder();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    for (Map.Entry<Path, byte[]> e : bytes.entrySet()) {
      crc.reset();
      crc.update(e.getValue());
      b.append(e.getKey().getFileName()).append('|').append(e.getValue().length).append('|');
      b.append(Long.toHexString(crc.getValue())).append('\0');
    }
    for (Path r : refs) {
      b.append(r).append('\0');
    }
    return b.toString();
  }

  private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The files one ABI is computed from. */
  static final class Inputs {
    Path symvers;
    Path config;
    Path builtin;
    Path dep;
    Path randstruct;
    String machine = "";

    List<Path> files() {
      List<Path> out = new ArrayList<>();
      for (Path p : new Path[] {symvers, config, builtin, dep, randstruct}) {
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }

    String statsKey(String release, List<Path> refs) throws IOException {
      StringBuilder b = new StringBuilder(release).append('\0').append(machine);
      List<Path> all = new ArrayList<>(files());
      all.addAll(refs);
      for (Path p : all) {
        b.append('\0').append(p);
        if (Files.exists(p)) {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          b.append('|').append(a.size()).append('|').append(a.lastModifiedTime().toMillis());
          b.append('|').append(a.fileKey());
        }
      }
      return b.toString();
    }

    Map<Path, byte[]> readAll() throws IOException {
      Map<Path, byte[]> out = new java.util.LinkedHashMap<>();
      for (Path p : files()) {
        out.put(p, Files.readAllBytes(p));
      }
      return out;
    }
  }

  /** Facts about the running machine that decide signature enforcement for a kernel. */
  static final class MachineState {
    private MachineState() {}

    static String describe(Path root, String release) {
      Map<String, String> m = new HashMap<>();
      m.put("running", read(root.resolve("proc/sys/kernel/osrelease")));
      m.put("sig_enforce", read(root.resolve("sys/module/module/parameters/sig_enforce")));
      m.put("lockdown", read(root.resolve("sys/kernel/security/lockdown")));
      m.put("secureboot", secureBoot(root));
      return new java.util.TreeMap<>(m).toString();
    }

    static String read(Path p) {
      try {
        return Files.isRegularFile(p)
            ? Files.readString(p, StandardCharsets.ISO_8859_1).strip()
            : "";
      } catch (IOException | RuntimeException e) {
        return "";
      }
    }

    /** "1" when the EFI SecureBoot variable says enabled, "0" when not, "" when unknown. */
    static String secureBoot(Path root) {
      Path vars = root.resolve("sys/firmware/efi/efivars");
      if (!Files.isDirectory(vars)) {
        return Files.isDirectory(root.resolve("sys/firmware/efi")) ? "" : "0";
      }
      try (var s = Files.newDirectoryStream(vars, "SecureBoot-*")) {
        for (Path p : s) {
          byte[] b = Files.readAllBytes(p);
          return b.length >= 5 && b[4] == 1 ? "1" : "0";
        }
      } catch (IOException | RuntimeException e) {
        return "";
      }
      return "0";
    }
  }
}
