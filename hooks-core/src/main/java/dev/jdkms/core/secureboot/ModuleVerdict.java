package dev.jdkms.core.secureboot;

import java.nio.file.Path;

/**
 * Whether the running kernel will load one installed DKMS module under the current Secure Boot
 * state, and why, in words for the user.
 */
public record ModuleVerdict(
    String module, String version, String kernel, Path file, Status status, String reason) {

  /** The answer, with the words the report prints for it. */
  public enum Status {
    LOADS("will load"),
    PENDING("after enrolment"),
    REFUSED("will NOT load"),
    UNKNOWN("unknown");

    private final String words;

    Status(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }
}
