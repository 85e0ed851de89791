package dev.jdkms.core.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleSignatureTest {
  private static final byte[] ELF =
      "\u007fELF pretend module body".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void trailerIsTheStructSignFileWritesFollowedByTheMagic() {
    byte[] trailer = ModuleSignature.trailerFor(0x01020304);

    assertThat(HexFormat.of().formatHex(trailer, 0, 12)).isEqualTo("000002000000000001020304");
    assertThat(new String(trailer, 12, 28, StandardCharsets.US_ASCII))
        .isEqualTo("~Module signature appended~\n");
  }

  @Test
  void parsesAWellFormedTrailer() {
    byte[] module = signed(ELF, new byte[300], ModuleSignature.trailerFor(300));

    ModuleSignature signature = ModuleSignature.parse(module).orElseThrow();

    assertThat(signature.contentLength()).isEqualTo(ELF.length);
    assertThat(signature.signatureLength()).isEqualTo(300);
    assertThat(signature.idType()).isEqualTo(ModuleSignature.PKEY_ID_PKCS7);
    assertThat(signature.isWellFormed()).isTrue();
  }

  @Test
  void readsTheSameFromAFile() throws IOException {
    byte[] module = signed(ELF, new byte[77], ModuleSignature.trailerFor(77));
    Path file = Files.write(dir.resolve("m.ko"), module);

    assertThat(ModuleSignature.isSigned(file)).isTrue();
    assertThat(ModuleSignature.read(file))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(ModuleSignature.parse(module).orElseThrow());
  }

  @Test
  void unsignedModulesHaveNoSignature() throws IOException {
    Path file = Files.write(dir.resolve("m.ko"), ELF);

    assertThat(ModuleSignature.isSigned(file)).isFalse();
    assertThat(ModuleSignature.read(file)).isEmpty();
    assertThat(ModuleSignature.parse(ELF)).isEmpty();
    assertThat(ModuleSignature.parse(new byte[0])).isEmpty();
  }

  @Test
  void aMagicWithoutRoomForTheStructIsNoSignature() {
    byte[] magicOnly = ModuleSignature.MAGIC.getBytes(StandardCharsets.US_ASCII);

    assertThat(ModuleSignature.parse(magicOnly)).isEmpty();
  }

  @Test
  void aSignatureLongerThanTheFileIsMalformed() {
    byte[] module = signed(ELF, new byte[10], ModuleSignature.trailerFor(10 + ELF.length));

    ModuleSignature signature = ModuleSignature.parse(module).orElseThrow();

    assertThat(signature.isWellFormed()).isFalse();
    assertThat(signature.contentLength()).isZero();
    assertThat(signature.signatureLength()).isEqualTo(10 + ELF.length);
  }

  @Test
  void theKernelWantsOneByteOfModuleInFrontOfTheSignature() {
    byte[] justFits = signed(new byte[1], new byte[10], ModuleSignature.trailerFor(10));
    byte[] noModule = signed(new byte[0], new byte[10], ModuleSignature.trailerFor(10));

    assertThat(ModuleSignature.parse(justFits).orElseThrow().isWellFormed()).isTrue();
    assertThat(ModuleSignature.parse(noModule).orElseThrow().isWellFormed()).isFalse();
  }

  @Test
  void nonPkcs7OrNonZeroLegacyFieldsAreMalformed() {
    byte[] pgp = ModuleSignature.trailerFor(4);
    pgp[2] = 1; // PKEY_ID_PGP, signatures of pre-4.3 kernels
    byte[] withAlgo = ModuleSignature.trailerFor(4);
    withAlgo[0] = 1;
    byte[] withPad = ModuleSignature.trailerFor(4);
    withPad[7] = 1;

    ModuleSignature pgpSignature = ModuleSignature.parse(signed(ELF, new byte[4], pgp)).get();
    assertThat(pgpSignature.idType()).isEqualTo(1);
    assertThat(pgpSignature.isWellFormed()).isFalse();
    assertThat(ModuleSignature.parse(signed(ELF, new byte[4], withAlgo)).get().isWellFormed())
        .isFalse();
    assertThat(ModuleSignature.parse(signed(ELF, new byte[4], withPad)).get().isWellFormed())
        .isFalse();
  }

  @Test
  void signatureLengthIsUnsigned() {
    byte[] trailer = ModuleSignature.trailerFor(-1); // 0xffffffff

    ModuleSignature signature = ModuleSignature.parse(signed(ELF, trailer)).orElseThrow();

    assertThat(signature.signatureLength()).isEqualTo(0xffffffffL);
    assertThat(signature.isWellFormed()).isFalse();
  }

  @Test
  void unreadableFilesAreReportedUnchecked() {
    Path missing = dir.resolve("missing.ko");

    assertThatThrownBy(() -> ModuleSignature.read(missing))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> ModuleSignature.isSigned(missing))
        .isInstanceOf(UncheckedIOException.class);
  }

  private static byte[] signed(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
