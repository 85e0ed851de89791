package dev.jdkms.core.tarball;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkCheckTest {
  @Test
  void relativeTargetsThatStayInside() {
    assertThat(LinkCheck.staysInside("link", "file")).isTrue();
    assertThat(LinkCheck.staysInside("a/b/link", "../../file")).isTrue();
    assertThat(LinkCheck.staysInside("a/b/link", "../..")).isTrue();
    assertThat(LinkCheck.staysInside("a/link", "./x/./y/")).isTrue();
    assertThat(LinkCheck.staysInside("./a//link", "../x")).isTrue();
  }

  @Test
  void targetsThatLeaveOrMightLeave() {
    assertThat(LinkCheck.staysInside("link", "/etc/passwd")).isFalse();
    assertThat(LinkCheck.staysInside("link", "")).isFalse();
    assertThat(LinkCheck.staysInside("link", "..")).isFalse();
    assertThat(LinkCheck.staysInside("a/b/link", "../../..")).isFalse();
    assertThat(LinkCheck.staysInside("a/link", "x/../../y")).isFalse();
    // "s/.." leaves the tree when s is a link to "."
    assertThat(LinkCheck.staysInside("a/link", "s/../y")).isFalse();
  }

  @Test
  void findsTheFirstEscapingLinkOfATree(@TempDir Path top) throws Exception {
    Files.createDirectories(top.resolve("a/b"));
    Files.createSymbolicLink(top.resolve("a/ok"), Path.of("b"));
    assertThat(LinkCheck.firstEscapingLink(top)).isEmpty();
    Files.createSymbolicLink(top.resolve("a/b/bad"), Path.of("../../../x"));
    assertThat(LinkCheck.firstEscapingLink(top)).contains(top.resolve("a/b/bad"));
    assertThat(LinkCheck.firstEscapingLink(top.resolve("a/b"))).contains(top.resolve("a/b/bad"));
  }
}
