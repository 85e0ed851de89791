package dev.jdkms.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivateViewTest {
  private final PrivateView view =
      new PrivateView(
          Path.of("/var/lib/dkms/m/1/.build-6.1-x86_64"), Path.of("/var/lib/dkms/m/1/build"));

  @Test
  void pathsMoveBetweenWhereTheyAreAndWhereTheChildSeesThem() {
    assertThat(view.toVisible(Path.of("/var/lib/dkms/m/1/.build-6.1-x86_64/sub/make.log")))
        .isEqualTo(Path.of("/var/lib/dkms/m/1/build/sub/make.log"));
    assertThat(view.toPhysical(Path.of("/var/lib/dkms/m/1/build/pre.sh")))
        .isEqualTo(Path.of("/var/lib/dkms/m/1/.build-6.1-x86_64/pre.sh"));
    assertThat(view.toVisible(Path.of("/usr/src/m-1"))).isEqualTo(Path.of("/usr/src/m-1"));
    assertThat(view.toPhysical(Path.of("/var/lib/dkms/m/1/buildx")))
        .as("a sibling with a longer name is not under the build dir")
        .isEqualTo(Path.of("/var/lib/dkms/m/1/buildx"));
  }

  @Test
  void theViewTravelsInTheEnvironment() {
    ChildEnvironment env = ChildEnvironment.of(Map.of("PATH", "/bin")).with(view.environment());
    assertThat(PrivateView.of(env)).contains(view);
    assertThat(PrivateView.of(ChildEnvironment.of(Map.of("PATH", "/bin")))).isEmpty();
  }

  @Test
  void theCommandRunsInAMountNamespaceAfterTheBindMountInTheVisibleDirectory() {
    List<String> argv =
        view.wrap(List.of("bash", "-c", "make"), Path.of("/var/lib/dkms/m/1/.build-6.1-x86_64"));
    assertThat(argv.get(0)).endsWith("unshare");
    assertThat(argv.subList(1, 7))
        .containsExactly("--mount", "--propagation", "private", "--", "/bin/sh", "-c");
    assertThat(argv.get(7)).startsWith("mount --bind \"$1\" \"$2\"");
    assertThat(argv.subList(8, argv.size()))
        .containsExactly(
            "jdkms-build-view",
            "/var/lib/dkms/m/1/.build-6.1-x86_64",
            "/var/lib/dkms/m/1/build",
            "/var/lib/dkms/m/1/build",
            "bash",
            "-c",
            "make");
    assertThat(view.wrap(List.of("true"), null).get(11)).as("no cwd: stays").isEmpty();
  }
}
