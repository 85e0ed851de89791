package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import dev.jdkms.core.plan.Jobserver;
import dev.jdkms.core.testutil.Fuzz;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes framework.conf and framework.conf.d: a real configuration (upstream's variables, signing
 * paths, jdkms's own setting) damaged and given extreme values, read through bash, and the numeric
 * value put to use: {@code parallel_jobs} becomes a jobserver with that many tokens. Every input
 * must give settings or a {@link ConfException}, never an internal error or a hang.
 */
class FrameworkConfFuzzTest {
  static final long SEED = 0xf4a3e1L;

  private static final String[] VALUES = {
    "1000000", "99999999999", "-5", "0", "0x10", "' 8 '", "$((1<<40))", "\"\"", "\u00e9",
  };

  @TempDir Path dir;

  @Test
  void noFrameworkConfValueEndsInAnInternalError() throws Exception {
    String main =
        "# /etc/dkms/framework.conf\nverbose=\"1\"\nsymlink_modules=\"\"\nparallel_jobs=4\n"
            + "sign_file=\"/lib/modules/${kernelver}/build/scripts/sign-file\"\n"
            + "mok_signing_key=\"/var/lib/dkms/mok.key\"\nmok_certificate=\"/var/lib/dkms/mok.pub\"\n"
            + "compress_xz_opts=\"--check=crc32 --lzma2=dict=1MiB\"\nmodprobe_on_install=\"true\"\n"
            + "jdkms_signer=builtin\n";
    List<byte[]> valid = List.of(main.getBytes(StandardCharsets.UTF_8));
    Path etc = Files.createDirectories(dir.resolve("etc/dkms"));
    Files.createDirectories(etc.resolve("framework.conf.d"));
    Files.writeString(etc.resolve("framework.conf.d/10-jobs.conf"), "parallel_jobs=2\n");
    FrameworkConf conf =
        new FrameworkConf(
            etc,
            new ShellEvaluator(
                Console.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
                ChildEnvironment.fromProcess(),
                null,
                Duration.ofSeconds(3)));
    List<String> accepted = new ArrayList<>(FrameworkConf.NON_SIGNING);
    accepted.addAll(FrameworkConf.SIGNING);
    new Fuzz("framework.conf", SEED, 300, Duration.ofSeconds(4), ConfException.class)
        .run(
            valid,
            (v, r) -> withValue(Fuzz.mutate(v, r), r),
            (input, round) -> {
              Files.write(etc.resolve("framework.conf"), input);
              Files.writeString(
                  etc.resolve("framework.conf.d/10-jobs.conf"),
                  "parallel_jobs=" + VALUES[round % VALUES.length] + "\n");
              Map<String, String> settings = conf.read(ShellEvaluator.context(), accepted);
              int budget = Jobserver.budgetFor(settings.getOrDefault("parallel_jobs", ""));
              try (Jobserver js = Jobserver.start(dir.resolve("tmp"), budget)) {
                assertThat(js.budget()).isPositive();
              }
            });
  }

  /** Most rounds also set one variable to an extreme value. */
  private static byte[] withValue(byte[] input, Random r) {
    if (r.nextInt(4) == 0) {
      return input;
    }
    String name = r.nextBoolean() ? "parallel_jobs" : "verbose";
    String line = name + "=" + VALUES[r.nextInt(VALUES.length)] + "\n";
    byte[] add = line.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(input, input.length + add.length);
    System.arraycopy(add, 0, out, input.length, add.length);
    return out;
  }
}
