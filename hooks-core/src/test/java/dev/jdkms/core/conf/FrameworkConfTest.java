package dev.jdkms.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.console.Console;
import dev.jdkms.core.exec.ChildEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkConfTest {
  @TempDir Path etc;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private FrameworkConf framework() {
    return new FrameworkConf(
        etc, new ShellEvaluator(Console.of(out, err), ChildEnvironment.fromProcess()));
  }

  private Path write(String rel, String text) throws IOException {
    Path p = etc.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private static Map<String, String> defaults() {
    Map<String, String> ctx = ShellEvaluator.context();
    ctx.put("dkms_tree", "/var/lib/dkms");
    ctx.put("source_tree", "/usr/src");
    ctx.put("install_tree", "/lib/modules");
    ctx.put("verbose", "");
    return ctx;
  }

  @Test
  void noFilesAtAll() throws Exception {
    assertThat(framework().files()).isEmpty();
    assertThat(framework().read(defaults(), FrameworkConf.NON_SIGNING)).isEqualTo(defaults());
  }

  @Test
  void frameworkConfFirstThenDropInsInByteOrder() throws Exception {
    Path d = write("framework.conf.d/b.conf", "");
    Path upper = write("framework.conf.d/Z.conf", "");
    Path dash = write("framework.conf.d/a-b.conf", "");
    Path dot = write("framework.conf.d/a.b.conf", "");
    Path num = write("framework.conf.d/10.conf", "");
    write("framework.conf.d/.hidden.conf", "");
    write("framework.conf.d/notes.txt", "");
    write("framework.conf.d/c.conf.disabled", "");
    Path main = write("framework.conf", "");
    assertThat(framework().files()).containsExactly(main, num, upper, dash, dot, d);
    Files.delete(main);
    assertThat(framework().files()).containsExactly(num, upper, dash, dot, d);
  }

  @Test
  void laterFilesWinAndSeeEarlierValues() throws Exception {
    write("framework.conf", "dkms_tree=/srv/dkms\nsource_tree=/srv/src\nparallel_jobs=2\n");
    write("framework.conf.d/10-a.conf", "dkms_tree=\"$dkms_tree/a\"\nnot_accepted=1\n");
    write("framework.conf.d/20-b.conf", "install_tree=\"${dkms_tree}-${not_accepted:-none}\"\n");
    Map<String, String> s = framework().read(defaults(), FrameworkConf.NON_SIGNING);
    assertThat(s)
        .containsEntry("dkms_tree", "/srv/dkms/a")
        .containsEntry("source_tree", "/srv/src")
        .containsEntry("install_tree", "/srv/dkms/a-none")
        .containsEntry("parallel_jobs", "2")
        // unset in every file: the context value stays
        .containsEntry("verbose", "")
        .doesNotContainKey("not_accepted");
  }

  @Test
  void contextValuesAreVisibleAndKeptWhenNotReassigned() throws Exception {
    write("framework.conf", "post_transaction=\"echo $dkms_tree\"\n");
    Map<String, String> ctx = defaults();
    ctx.put("kernelver", "6.1.0-9-amd64");
    write(
        "framework.conf.d/sign.conf",
        "sign_file=/usr/lib/linux-kbuild-${kernelver%.*}/scripts/sign-file\n");
    Map<String, String> s =
        framework()
            .read(ctx, List.of("post_transaction", "sign_file", "mok_signing_key", "dkms_tree"));
    assertThat(s)
        .containsEntry("post_transaction", "echo /var/lib/dkms")
        .containsEntry("sign_file", "/usr/lib/linux-kbuild-6.1/scripts/sign-file")
        .containsEntry("dkms_tree", "/var/lib/dkms")
        .containsEntry("kernelver", "6.1.0-9-amd64")
        .doesNotContainKey("mok_signing_key");
  }

  @Test
  void onlyTheRequestedListComesBack() throws Exception {
    write("framework.conf", "sign_file=/x\ndkms_tree=/y\n");
    Map<String, String> nonSigning = framework().read(defaults(), FrameworkConf.NON_SIGNING);
    assertThat(nonSigning).containsEntry("dkms_tree", "/y").doesNotContainKey("sign_file");
    Map<String, String> signing = framework().read(defaults(), FrameworkConf.SIGNING);
    assertThat(signing)
        .containsEntry("sign_file", "/x")
        .containsEntry("dkms_tree", "/var/lib/dkms");
  }

  @Test
  void functionsDefinedInAFileDoNotMatter() throws Exception {
    // the upstream suite's hijacking.conf redefines do_status(); here a function even shadows a
    // variable name and a builtin for the files that follow
    write(
        "framework.conf",
        "do_status() { echo hijacked; }\ndkms_tree() { echo /hijacked; }\n"
            + "printf() { :; }\nsource_tree=/ok\n");
    write(
        "framework.conf.d/later.conf",
        "install_tree=\"$(dkms_tree 2>/dev/null)$(do_status 2>/dev/null)/lib/modules\"\n");
    Map<String, String> s = framework().read(defaults(), FrameworkConf.NON_SIGNING);
    assertThat(s)
        .containsEntry("source_tree", "/ok")
        .containsEntry("install_tree", "/lib/modules")
        .containsEntry("dkms_tree", "/var/lib/dkms");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void acceptedListsMatchUpstream() {
    assertThat(FrameworkConf.NON_SIGNING)
        .containsSubsequence(
            "source_tree",
            "dkms_tree",
            "install_tree",
            "tmp_location",
            "verbose",
            "symlink_modules",
            "autoinstall_all_kernels",
            "modprobe_on_install",
            "parallel_jobs",
            "compress_gzip_opts",
            "compress_xz_opts",
            "compress_zstd_opts",
            "build_environment",
            "post_transaction");
    assertThat(FrameworkConf.SIGNING)
        .contains("sign_file", "mok_signing_key", "mok_certificate", "try_sign_modules");
    assertThat(FrameworkConf.POST_TRANSACTION).containsExactly("post_transaction");
  }
}
