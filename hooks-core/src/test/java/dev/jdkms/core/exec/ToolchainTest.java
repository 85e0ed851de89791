package dev.jdkms.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolchainTest {
  @TempDir Path dir;

  private Path tool(String dirName, String name, boolean executable) throws IOException {
    Path d = Files.createDirectories(dir.resolve(dirName));
    Path p = Files.writeString(d.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    return d;
  }

  @Test
  void makeAndACompilerAreNeeded() throws IOException {
    Path bin = tool("bin", "make", true);
    assertThat(Toolchain.onPath(bin.toString())).isFalse();
    tool("bin", "cc", false);
    assertThat(Toolchain.onPath(bin.toString())).isFalse();
    Path other = tool("other", "x86_64-linux-gnu-gcc-12", true);
    assertThat(Toolchain.onPath(bin + "::" + other)).isTrue();
    assertThat(Toolchain.onPath(other.toString())).isFalse();
    tool("bin", "gcc", true);
    assertThat(Toolchain.onPath(bin.toString())).isTrue();
    assertThat(Toolchain.onPath("")).isFalse();
    assertThat(Toolchain.onPath(null)).isFalse();
  }

  @Test
  void aCommandIsFoundInTheAbsoluteDirectoriesOfThePathAsTheShellWould() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(a.resolve("make"));
    Path b = tool("b", "make", true);
    tool("c", "make", false);
    assertThat(Toolchain.find("relative:" + a + ":" + dir.resolve("c") + ":" + b, "make"))
        .contains(b.resolve("make"));
    assertThat(Toolchain.find(a.toString(), "make")).isEmpty();
    assertThat(Toolchain.find(null, "make")).isEmpty();
  }
}
