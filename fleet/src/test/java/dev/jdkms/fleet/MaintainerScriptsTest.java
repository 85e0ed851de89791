package dev.jdkms.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated scripts: sh syntax and shellcheck (a prerequisite of ./run test), both variants.
 */
class MaintainerScriptsTest {
  @TempDir Path dir;

  @Test
  void everyVariantPassesShAndShellcheck() throws Exception {
    for (boolean initramfs : new boolean[] {false, true}) {
      for (String name : new String[] {"postinst", "postrm"}) {
        String text =
            name.equals("postinst")
                ? MaintainerScripts.postinst("6.1.0-57-amd64", initramfs)
                : MaintainerScripts.postrm("6.1.0-57-amd64", initramfs);
        Path p = Files.writeString(dir.resolve(name + initramfs), text);
        assertThat(run("sh", "-n", p.toString())).as(text).isEmpty();
        assertThat(run("shellcheck", "-s", "sh", p.toString())).as(text).isEmpty();
        assertThat(text.contains("update-initramfs -u -k 6.1.0-57-amd64")).isEqualTo(initramfs);
      }
    }
  }

  @Test
  void rpmAndPacmanScriptsPassShAndShellcheck() throws Exception {
    String k = "6.12.1-arch1-1";
    for (boolean initramfs : new boolean[] {false, true}) {
      String[][] scripts = {
        {"sh", MaintainerScripts.rpmPost(k, initramfs), "dracut -f /boot/initramfs-" + k},
        {"sh", MaintainerScripts.rpmPostun(k, initramfs), "dracut -f /boot/initramfs-" + k},
        // alpm sources .INSTALL with bash and calls its functions
        {"bash", MaintainerScripts.pacmanInstall(k, initramfs), "mkinitcpio -P"}
      };
      for (String[] s : scripts) {
        Path p = Files.writeString(dir.resolve("script"), s[1]);
        assertThat(run(s[0], "-n", p.toString())).as(s[1]).isEmpty();
        assertThat(run("shellcheck", "-s", s[0], p.toString())).as(s[1]).isEmpty();
        assertThat(s[1]).contains("depmod -a " + k);
        assertThat(s[1].contains(s[2])).as(s[1]).isEqualTo(initramfs);
      }
    }
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
