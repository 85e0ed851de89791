package dev.jdkms.core.secureboot;

/**
 * One entry of an {@code EFI_SIGNATURE_LIST}: its list's type, the owner GUID (who enrolled it) and
 * the data, a DER certificate for {@link EfiGuid#CERT_X509} or a digest for {@link
 * EfiGuid#CERT_SHA256}.
 */
public record EfiSignature(EfiGuid type, EfiGuid owner, byte[] data) {
  public EfiSignature {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public boolean isX509() {
    return type.equals(EfiGuid.CERT_X509);
  }

  public boolean isSha256() {
    return type.equals(EfiGuid.CERT_SHA256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EfiSignature s
        && type.equals(s.type)
        && owner.equals(s.owner)
        && java.util.Arrays.equals(data, s.data);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + java.util.Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "EfiSignature[" + type + ", owner " + owner + ", " + data.length + " bytes]";
  }
}
