package dev.jdkms.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConcurrentVersionsTest {
  @Test
  void theKernelsOwnTreeIsNotAPlaceTwoBuildsShare() {
    // zfs-dkms 2.1.11's PRE_BUILD, as Debian 12 ships it
    String zfs =
        "PRE_BUILD=\"configure\n  --with-linux=$(\n"
            + "    if [ -e \"${kernel_source_dir/%build/source}\" ]\n    then\n"
            + "      echo \"${kernel_source_dir/%build/source}\"\n    else\n"
            + "      echo \"${kernel_source_dir}\"\n    fi\n  )\n"
            + "  --with-linux-obj=${kernel_source_dir}\"\n";
    assertThat(ConcurrentVersions.buildsInPlace(zfs)).isTrue();
    assertThat(ConcurrentVersions.buildsInPlace("MAKE[0]=\"make -C $kernel_source_dir M=$PWD\""))
        .isTrue();
  }

  @Test
  void theModulesSourceTmpAndUsrSrcAre() {
    assertThat(ConcurrentVersions.buildsInPlace("PRE_BUILD=\"cp x /tmp/fixed\"")).isFalse();
    assertThat(ConcurrentVersions.buildsInPlace("PRE_BUILD=\"make -C $source_tree/x\"")).isFalse();
    assertThat(ConcurrentVersions.buildsInPlace("PRE_BUILD=\"cd ../source && ./gen\"")).isFalse();
    assertThat(ConcurrentVersions.buildsInPlace("MAKE[0]=\"make -C /usr/src/foo-1.0\"")).isFalse();
    assertThat(
            ConcurrentVersions.buildsInPlace(
                "PRE_BUILD=\"x ${kernel_source_dir} $dkms_tree/m/1/source/y\""))
        .isFalse();
  }
}
