package dev.jdkms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TrainingMainTest {
  @Test
  void theTrainingRunShowsAnInstalledModuleAndLeavesNothingBehind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    TrainingMain.train(dev.jdkms.core.console.Console.of(seen, seen));
    assertThat(seen.toString(StandardCharsets.UTF_8))
        .as("the status line a real tree would print: every step of it ran")
        .matches("jdkms_training/1\\.0, 0\\.0\\.0-jdkms-training, [^,]+: installed\\n");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("jdkms-training-"));
    }
  }
}
