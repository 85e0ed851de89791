package dev.jdkms.core.secureboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EfiSignatureListsTest {
  @Test
  void guidsAreStoredMixedEndianAsTheFirmwareDoes() {
    // EFI_CERT_X509_GUID as it appears in every db and MokList dump
    assertThat(HexFormat.of().formatHex(EfiGuid.CERT_X509.bytes()))
        .isEqualTo("a159c0a5e494a74a87b5ab155c2bf072");
    ByteBuffer b = ByteBuffer.wrap(EfiGuid.SHIM_LOCK.bytes());
    assertThat(EfiGuid.read(b)).isEqualTo(EfiGuid.SHIM_LOCK);
    assertThat(b.position()).isEqualTo(16);
  }

  @Test
  void readsX509AndSha256ListsInOrder() throws Exception {
    byte[] cert = {0x30, 3, 1, 2, 3};
    byte[] hashA = new byte[32];
    byte[] hashB = new byte[32];
    Arrays.fill(hashB, (byte) 0xab);
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    value.writeBytes(EfiSignatureLists.encode(EfiGuid.CERT_X509, EfiFixture.OWNER, List.of(cert)));
    value.writeBytes(
        EfiSignatureLists.encode(EfiGuid.CERT_SHA256, EfiGuid.GLOBAL, List.of(hashA, hashB)));

    List<EfiSignature> entries = EfiSignatureLists.parse("MokListRT", value.toByteArray());

    assertThat(entries).hasSize(3);
    assertThat(entries.get(0).isX509()).isTrue();
    assertThat(entries.get(0).owner()).isEqualTo(EfiFixture.OWNER);
    assertThat(entries.get(0).data()).isEqualTo(cert);
    assertThat(entries.get(1).isSha256()).isTrue();
    assertThat(entries.get(2).data()).isEqualTo(hashB);
    assertThat(EfiSignatureLists.parse("db", new byte[0])).isEmpty();
  }

  @Test
  void skipsTheSignatureHeader() throws Exception {
    byte[] data = {0x30, 0};
    ByteBuffer b = ByteBuffer.allocate(28 + 5 + 18).order(ByteOrder.LITTLE_ENDIAN);
    b.put(EfiGuid.CERT_X509.bytes()).putInt(b.capacity()).putInt(5).putInt(18);
    b.put(new byte[5]).put(EfiFixture.OWNER.bytes()).put(data);

    assertThat(EfiSignatureLists.parse("db", b.array()).get(0).data()).isEqualTo(data);
  }

  @Test
  void refusesSizesThatDoNotFitWithoutAllocatingThem() {
    byte[] good =
        EfiSignatureLists.encode(EfiGuid.CERT_X509, EfiFixture.OWNER, List.of(new byte[40]));
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0xfffffff0);
    assertThatThrownBy(() -> EfiSignatureLists.parse("MokNew", huge))
        .isInstanceOf(SecureBootException.class)
        .hasMessage(
            "MokNew: malformed signature list at byte 0: list size 4294967280 does not fit");

    byte[] oddEntry = good.clone();
    ByteBuffer.wrap(oddEntry).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 17);
    assertThatThrownBy(() -> EfiSignatureLists.parse("db", oddEntry))
        .hasMessageContaining("entry size 17 does not divide the list");

    byte[] zero = good.clone();
    ByteBuffer.wrap(zero).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 0);
    assertThatThrownBy(() -> EfiSignatureLists.parse("db", zero))
        .hasMessageContaining("entry size 0");

    assertThatThrownBy(() -> EfiSignatureLists.parse("db", Arrays.copyOf(good, 20)))
        .hasMessageContaining("needs 28 bytes, 20 left");

    byte[] shortHash =
        EfiSignatureLists.encode(EfiGuid.CERT_SHA256, EfiFixture.OWNER, List.of(new byte[20]));
    assertThatThrownBy(() -> EfiSignatureLists.parse("db", shortHash))
        .hasMessageContaining("a SHA-256 entry of 36 bytes");
  }
}
