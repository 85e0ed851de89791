package dev.jdkms.core.tree;

import java.nio.file.Path;

/**
 * A second process for {@link TreeLockTest}: {@code hold FILE MILLIS} takes the lock, says
 * "locked", holds it, releases and says "released"; {@code acquire FILE NOTICE_MILLIS} waits for
 * the lock, printing each notice, then says "acquired".
 */
public final class LockMain {
  private LockMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    long millis = Long.parseLong(args[2]);
    if (args[0].equals("hold")) {
      try (TreeLock l = TreeLock.acquire(file, 0, m -> System.out.println("NOTICE " + m))) {
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(millis);
      }
      System.out.println("released");
    } else {
      try (TreeLock l = TreeLock.acquire(file, millis, m -> System.out.println("NOTICE " + m))) {
        System.out.println("acquired");
      }
    }
    System.out.flush();
  }
}
