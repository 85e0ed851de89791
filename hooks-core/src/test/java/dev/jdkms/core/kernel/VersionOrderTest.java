package dev.jdkms.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Sh;
import dev.jdkms.core.testutil.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class VersionOrderTest {

  /** Versions and what upstream's VER() prints for them (recorded from dkms 3.4.3). */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("2.6.9-1cvs200409091247", "002.006.009-001cvs200409091247"),
        Arguments.of("4.12", "004.012"),
        Arguments.of("4.12-rc1", "004.012-rc001"),
        Arguments.of("6.1.0-56-amd64", "006.001.000-056-amd064"),
        Arguments.of("6.1.0-9-amd64", "006.001.000-009-amd064"),
        Arguments.of("1.10", "001.010"),
        Arguments.of("1.9", "001.009"),
        Arguments.of("1.0", "001.000"),
        Arguments.of("", ""),
        Arguments.of("12345.6789", "12345.6789"),
        Arguments.of("0001.02", "0001.002"),
        Arguments.of("v1.2a3", "v001.002a003"),
        Arguments.of("6.1.0 56", "006.001.000056"),
        Arguments.of("5.15.0-141-generic", "005.015.000-141-generic"),
        Arguments.of("1.2.3~rc1", "001.002.003~rc001"),
        Arguments.of("abc", "abc"),
        Arguments.of("3.10.0-1160.el7.x86_64", "003.010.000-1160.el007.x086_064"),
        Arguments.of("1..2", "001..002"),
        Arguments.of("9-", "009-"),
        Arguments.of("-9", "-009"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void paddedIsWhatUpstreamVerPrints(String version, String expected) {
    assertThat(VersionOrder.padded(version)).isEqualTo(expected);
  }

  @Test
  void paddedEqualsUpstreamVerRunInBash() {
    String ver = Upstream.function("VER");
    List<String> versions = new ArrayList<>();
    table().forEach(a -> versions.add((String) a.get()[0]));
    versions.addAll(List.of("1.2.3.4.5.6.7.8.9.10.11.12", "0", "00", "000", "x1y22z333w4444"));
    String out =
        Sh.bash(ver + "\nfor v in \"$@\"; do VER \"$v\"; done", versions.toArray(new String[0]));
    List<String> expected = List.of(out.split("\n", -1)).subList(0, versions.size());
    List<String> actual = versions.stream().map(VersionOrder::padded).toList();
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "6.1.0-9-amd64, 6.1.0-56-amd64",
    "1.9, 1.10",
    // upstream quirk kept on purpose: a release candidate sorts after the release
    "4.12, 4.12-rc1",
    "2.6.9, 2.6.9-1cvs200409091247",
    "5.15.0-141-generic, 6.1.0-9-amd64",
    // runs of four or more digits are not padded: upstream then compares them as text
    "1000, 999",
    "3.10.0-1160.el7, 3.10.0-957.el7",
  })
  void lessAndGreaterFollowVer(String low, String high) {
    assertThat(VersionOrder.less(low, high)).isTrue();
    assertThat(VersionOrder.greater(high, low)).isTrue();
    assertThat(VersionOrder.less(high, low)).isFalse();
    assertThat(VersionOrder.greater(low, high)).isFalse();
    assertThat(VersionOrder.COMPARATOR.compare(low, high)).isNegative();
  }

  @Test
  void equalVersionsAreNeitherLessNorGreater() {
    assertThat(VersionOrder.less("6.1", "6.01")).isFalse();
    assertThat(VersionOrder.greater("6.1", "6.01")).isFalse();
    assertThat(VersionOrder.COMPARATOR.compare("6.1", "006.1")).isZero();
  }

  @Test
  void byteComparisonAgreesWithBashStringOrderInCLocale() {
    // padded strings mix digits, dots, dashes, tildes, underscores and letters
    List<String> values =
        List.of(
            "006.001.000-056-amd064",
            "006.001.000-009-amd064",
            "006.001.000",
            "006.001.000~rc001",
            "006.001.000_x",
            "006.001.000.001",
            "006.001.000-Z",
            "006.001.000-a",
            "004.012-rc001",
            "004.012");
    List<String[]> pairs = new ArrayList<>();
    StringBuilder script = new StringBuilder();
    for (String a : values) {
      for (String b : values) {
        pairs.add(new String[] {a, b});
        script
            .append("if [[ '")
            .append(a)
            .append("' < '")
            .append(b)
            .append("' ]]; then echo '<'; elif [[ '")
            .append(a)
            .append("' > '")
            .append(b)
            .append("' ]]; then echo '>'; else echo '='; fi\n");
      }
    }
    String[] bash = Sh.bash(script.toString()).split("\n");
    for (int i = 0; i < pairs.size(); i++) {
      int c = VersionOrder.compareBytes(pairs.get(i)[0], pairs.get(i)[1]);
      String java = c < 0 ? "<" : c > 0 ? ">" : "=";
      assertThat(java).as("%s vs %s", pairs.get(i)[0], pairs.get(i)[1]).isEqualTo(bash[i]);
    }
  }

  @Test
  void comparatorSortsKernelsAsUpstreamWould() {
    List<String> kernels =
        new ArrayList<>(List.of("6.1.0-56-amd64", "6.1.0-9-amd64", "5.10.0-30-amd64", "6.10.1"));
    kernels.sort(VersionOrder.COMPARATOR);
    assertThat(kernels)
        .containsExactly("5.10.0-30-amd64", "6.1.0-9-amd64", "6.1.0-56-amd64", "6.10.1");
  }
}
