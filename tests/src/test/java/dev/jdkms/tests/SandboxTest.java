package dev.jdkms.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.tests.harness.DkmsSandboxExtension;
import dev.jdkms.tests.harness.Result;
import dev.jdkms.tests.harness.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: what tests/sandbox/sandbox promises. */
class SandboxTest {
  @TempDir Path state;

  @BeforeAll
  static void root() {
    DkmsSandboxExtension.requireRoot();
  }

  @Test
  void writesLandInTheUpperLayerAndNeverOnTheHost() {
    String probe = "/etc/jdkms-sandbox-probe-" + ProcessHandle.current().pid();
    Sandbox sb = new Sandbox(state);

    sb.run("sh", "-c", "echo hello > " + probe + " && rm /etc/os-release").requireSuccess();

    assertThat(Path.of(probe)).doesNotExist();
    assertThat(Path.of("/etc/os-release")).exists();
    assertThat(sb.upper(probe)).hasContent("hello");
    // state persists across calls of the same sandbox, deletions included
    assertThat(sb.readFile(probe)).isEqualTo("hello\n");
    assertThat(sb.exists("/etc/os-release")).isFalse();
  }

  @Test
  void forkCopiesStateAndThenDiverges() {
    Sandbox a = new Sandbox(state.resolve("a"));
    a.run("touch", "/root/one").requireSuccess();
    Sandbox b = a.fork(state.resolve("b"));
    b.run("touch", "/root/two").requireSuccess();

    assertThat(b.exists("/root/one")).isTrue();
    assertThat(a.exists("/root/two")).isFalse();
  }

  @Test
  void exitStatusEnvironmentAndProcessView() throws Exception {
    Sandbox sb = new Sandbox(state).withEnv("JDKMS_X", "y").withCwd("/usr");
    Path hostTmpFile = Files.createTempFile(Path.of("/tmp"), "jdkms-host-", ".tmp");
    try {
      assertThat(sb.run("sh", "-c", "exit 42").exitCode()).isEqualTo(42);
      Result r =
          sb.run(
              "sh",
              "-c",
              "echo $$ $JDKMS_X $HOME $LANG $(pwd); test -e "
                  + hostTmpFile
                  + " && echo host-tmp-visible || echo fresh-tmp; echo err >&2;"
                  + " test -w /sys && echo sys-writable || echo sys-ro");
      assertThat(r.stdoutLines()).containsExactly("1 y /root C.UTF-8 /usr", "fresh-tmp", "sys-ro");
      assertThat(r.stderrLines()).containsExactly("err");
      assertThat(r.outputLines()).contains("err", "sys-ro");
    } finally {
      Files.delete(hostTmpFile);
    }
  }

  @Test
  void hostDirectoriesAreVisibleCopyOnWrite(@TempDir Path hostDir) throws Exception {
    Files.writeString(hostDir.resolve("f"), "from host");
    Sandbox sb = new Sandbox(state).withBind(hostDir);

    Result r = sb.run("sh", "-c", "cat " + hostDir + "/f && echo changed > " + hostDir + "/f");

    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout()).isEqualTo("from host");
    assertThat(hostDir.resolve("f")).hasContent("from host");
    assertThat(sb.readFile(hostDir + "/f")).isEqualTo("changed\n");
  }
}
