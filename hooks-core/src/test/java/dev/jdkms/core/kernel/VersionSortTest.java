package dev.jdkms.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VersionSort against coreutils' own {@code sort -V} on the same input. */
class VersionSortTest {
  private static final List<String> INPUT =
      List.of(
          "installed m/1.0/6.1.0-56-amd64/x86_64",
          "built m/1.0/6.1.0-55-amd64/x86_64",
          "built m/1.0/6.1.0-9-amd64/x86_64",
          "built m/1.0/6.1.0-100-amd64/x86_64",
          "built m/1.0/6.1.0-56-amd64/x86_64",
          "1.0~rc1",
          "1.0",
          "1.0a",
          "1.0.1",
          "1.0-1",
          "999",
          "1000",
          "a10",
          "a9",
          "6.12.117+deb12-amd64",
          "6.1.0-56-rt-amd64",
          "007",
          "7");

  @Test
  void ordersLikeCoreutilsSortV() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sort", "-V").start();
    p.getOutputStream().write((String.join("\n", INPUT) + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    List<String> expected =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    p.waitFor();

    List<String> actual = new ArrayList<>(INPUT);
    actual.sort(VersionSort.COMPARATOR);

    assertThat(actual).containsExactlyElementsOf(expected);
  }
}
