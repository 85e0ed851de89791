package dev.jdkms.cli;

/** Entry point of the drop-in {@code dkms} command. */
public final class DkmsMain {
  private DkmsMain() {}

  public static void main(String[] args) {
    System.out.println("dkms-3.4.3");
  }
}
