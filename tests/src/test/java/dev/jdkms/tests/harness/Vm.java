package dev.jdkms.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A guest booted by qemu-system-x86_64 under TCG (no KVM here) with Debian's OVMF as firmware. The
 * guest reports over the serial console (tests/vm/guest-init prints {@code JDKMS-PROOF} lines) and
 * powers off; a guest that does not within the limit is killed and the test fails with the serial
 * log's tail.
 */
public final class Vm {
  /** Debian's ovmf package: the UEFI firmware and a variable store template. */
  public static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");

  public static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

  /** The firmware that enforces Secure Boot (needs SMM) and a store with Microsoft's keys. */
  public static final Path OVMF_CODE_SECURE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd");

  public static final Path OVMF_VARS_MS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.ms.fd");

  private Vm() {}

  /** How to start the guest: firmware, disk and, for a direct kernel boot, kernel and initrd. */
  public record Boot(
      Path code,
      Path vars,
      Path disk,
      Path esp,
      Path kernel,
      Path initrd,
      String append,
      Duration limit) {
    /** OVMF without Secure Boot booting {@code kernel} directly (its EFI stub) from the host. */
    public static Boot direct(Path disk, Path kernel, Path initrd, String append) {
      return new Boot(
          OVMF_CODE, OVMF_VARS, disk, null, kernel, initrd, append, Duration.ofMinutes(5));
    }

    /**
     * OVMF with Secure Boot on, its variables from {@code vars} (a copy of {@link #OVMF_VARS_MS},
     * perhaps with a MOK enrolled), booting the firmware's way from the system partition {@code
     * esp} (tests/vm/make-esp: shim, grub, the signed kernel).
     */
    public static Boot secure(Path disk, Path esp, Path vars) {
      return new Boot(OVMF_CODE_SECURE, vars, disk, esp, null, null, null, Duration.ofMinutes(8));
    }

    boolean isSecure() {
      return code.equals(OVMF_CODE_SECURE);
    }
  }

  /** What a boot printed on the serial console and how it ended. */
  public record Outcome(String serial, boolean poweredOff, Duration elapsed) {
    /** The values of the guest's {@code JDKMS-PROOF key ...} lines for {@code key}. */
    public List<String> proof(String key) {
      String line = "JDKMS-PROOF " + key;
      return serial
          .lines()
          .map(l -> l.replace("\r", ""))
          // a report may follow a message without its newline ("Begin: Running ... ")
          .map(l -> l.contains("JDKMS-PROOF ") ? l.substring(l.indexOf("JDKMS-PROOF ")) : l)
          .filter(l -> l.equals(line) || l.startsWith(line + " "))
          .map(l -> l.substring(Math.min(l.length(), line.length() + 1)))
          .toList();
    }

    /** The first {@link #proof} value for {@code key}, or "" if the guest printed none. */
    public String first(String key) {
      List<String> all = proof(key);
      return all.isEmpty() ? "" : all.get(0);
    }

    /** The serial log's last lines, for failure messages. */
    public String tail() {
      List<String> lines = serial.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Fails with the log's tail unless the guest reported to the end and powered off. */
    public Outcome requireFinished() {
      if (!poweredOff || proof("finished").isEmpty()) {
        throw new AssertionError(
            (poweredOff ? "the guest powered off early" : "the guest did not power off in time")
                + " after "
                + elapsed.toSeconds()
                + " s; serial console's tail:\n"
                + tail());
      }
      return this;
    }
  }

  /** Boots the guest and waits for it to power off (or kills it at the limit). */
  public static Outcome run(Boot boot, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path vars = workDir.resolve("vars.fd");
      Files.copy(boot.vars(), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Path serial = workDir.resolve("serial.log");
      Files.deleteIfExists(serial);
      List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64"));
      if (boot.isSecure()) { // the secure firmware keeps its variables in SMM-protected flash
        argv.addAll(List.of("-machine", "q35,smm=on"));
        argv.addAll(List.of("-global", "driver=cfi.pflash01,property=secure,value=on"));
      } else {
        argv.addAll(List.of("-machine", "q35"));
      }
      argv.addAll(List.of("-accel", "tcg", "-m", "1024", "-smp", "1", "-no-reboot"));
      argv.addAll(List.of("-display", "none", "-monitor", "none", "-nic", "none"));
      argv.addAll(List.of("-serial", "file:" + serial));
      argv.addAll(List.of("-drive", "if=pflash,format=raw,readonly=on,file=" + boot.code()));
      argv.addAll(List.of("-drive", "if=pflash,format=raw,file=" + vars));
      argv.addAll(List.of("-drive", "file=" + boot.disk() + ",if=virtio,format=raw,snapshot=on"));
      if (boot.esp() != null) {
        argv.addAll(List.of("-drive", "file=" + boot.esp() + ",if=virtio,format=raw,snapshot=on"));
      }
      if (boot.kernel() != null) {
        argv.addAll(List.of("-kernel", boot.kernel().toString()));
        argv.addAll(List.of("-initrd", boot.initrd().toString(), "-append", boot.append()));
      }
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("qemu.log").toFile())
              .start();
      boolean exited = p.waitFor(boot.limit().toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      String log =
          Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
      // tests/bench/boot.sh reads these lines: the boot's directory names the scenario
      System.out.printf(
          "[vm] %s %s: %s after %d s%n",
          workDir
              .getParent()
              .getFileName()
              .toString()
              .replaceFirst("^jdkms-it-", "")
              .replaceFirst("\\d+$", ""),
          workDir.getFileName(),
          exited ? "exit " + p.exitValue() : "killed",
          elapsed.toSeconds());
      return new Outcome(log, exited && p.exitValue() == 0, elapsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
