package dev.jdkms.core.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jdkms.core.testutil.Sh;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TreeLockTest {
  @TempDir Path dir;

  private String notice(Path lock) {
    return "jdkms: waiting for another dkms process to finish changing the DKMS tree (lock "
        + lock
        + ")";
  }

  @Test
  void uncontendedLockIsImmediateAndSilentAndCreatesItsDirectory() throws Exception {
    Path lock = dir.resolve("var/lib/dkms/.jdkms.lock");
    List<String> notices = new CopyOnWriteArrayList<>();
    try (TreeLock l = TreeLock.acquire(lock, 0, notices::add)) {
      assertThat(Files.exists(lock)).isTrue();
    }
    try (TreeLock l = TreeLock.acquire(lock, 0, notices::add)) {
      assertThat(notices).isEmpty();
    }
  }

  @Test
  void waitsForAnotherProcessAndSaysSoOnceAfterTheThreshold() throws Exception {
    Path lock = dir.resolve(".jdkms.lock");
    Process holder = Sh.java(LockMain.class, "hold", lock.toString(), "1500").start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      long start = System.nanoTime();
      List<String> notices = new CopyOnWriteArrayList<>();
      try (TreeLock l = TreeLock.acquire(lock, 300, notices::add)) {
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isGreaterThanOrEqualTo(1000);
        assertThat(notices).containsExactly(notice(lock));
      }
      assertThat(out.readLine()).isEqualTo("released");
    } finally {
      holder.destroy();
      holder.waitFor();
    }
  }

  @Test
  void anotherProcessWaitsForThisOne() throws Exception {
    Path lock = dir.resolve(".jdkms.lock");
    TreeLock l = TreeLock.acquire(lock, 0, m -> {});
    boolean released = false;
    Process waiter = Sh.java(LockMain.class, "acquire", lock.toString(), "200").start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(waiter.getInputStream(), StandardCharsets.UTF_8))) {
      // the notice proves the child is blocked on our lock; only then is it released
      assertThat(out.readLine()).isEqualTo("NOTICE " + notice(lock));
      assertThat(waiter.isAlive()).isTrue();
      l.close();
      released = true;
      assertThat(out.readLine()).isEqualTo("acquired");
      assertThat(out.readLine()).isNull();
      assertThat(waiter.waitFor()).isZero();
    } finally {
      if (!released) {
        l.close();
      }
      waiter.destroy();
    }
  }

  @Test
  void noNoticeWhenTheWaitIsShorterThanTheThreshold() throws Exception {
    Path lock = dir.resolve(".jdkms.lock");
    Process holder = Sh.java(LockMain.class, "hold", lock.toString(), "200").start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      List<String> notices = new CopyOnWriteArrayList<>();
      try (TreeLock l = TreeLock.acquire(lock, 5000, notices::add)) {
        assertThat(notices).isEmpty();
      }
    } finally {
      holder.destroy();
      holder.waitFor();
    }
  }

  @Test
  void threadsOfOneProcessAlsoWaitForEachOther() throws Exception {
    Path lock = dir.resolve(".jdkms.lock");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread owner =
        new Thread(
            () -> {
              try (TreeLock l = TreeLock.acquire(lock, 0, m -> {})) {
                held.countDown();
                release.await();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    owner.start();
    held.await();
    List<String> notices = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> {
              try (TreeLock l = TreeLock.acquire(lock, 100, notices::add)) {
                // got it
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(400);
    assertThat(second).isNotDone();
    assertThat(notices).containsExactly(notice(lock));
    release.countDown();
    second.get(10, TimeUnit.SECONDS);
    owner.join();
    assertThat(notices).hasSize(1);
  }
}
