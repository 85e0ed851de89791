package dev.jdkms.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningKernelTest {
  @TempDir Path dir;

  @Test
  void theReleaseIsOsreleaseWithoutItsNewline() throws IOException {
    Path osrelease = Files.writeString(dir.resolve("osrelease"), "6.12.117+deb13-amd64\n");
    assertThat(RunningKernel.release(osrelease)).isEqualTo("6.12.117+deb13-amd64");
  }

  @Test
  void aMissingFileIsAnIoErrorNotAnEmptyRelease() {
    assertThatThrownBy(() -> RunningKernel.release(dir.resolve("none")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void thisMachinesReleaseIsWhatUnameSays() throws Exception {
    Process p = new ProcessBuilder("uname", "-r").start();
    String uname = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).isZero();
    assertThat(RunningKernel.release()).isEqualTo(uname);
  }
}
