package io.cxlake.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Results in the items' order, and a failed piece's own error after the running pieces finished. */
class ConcurrentlyTest {
  @Test
  void returnsTheResultsInTheOrderOfTheItems() {
    List<Integer> out = Concurrently.map(List.of(30, 0, 20, 10), ms -> {
      sleep(ms);
      return ms / 10;
    }, ms -> "wait " + ms);
    assertThat(out).containsExactly(3, 0, 2, 1);
  }

  @Test
  void aFailureWaitsForTheRunningPieceAndKeepsItsOwnMessage() {
    AtomicBoolean slowFinished = new AtomicBoolean();
    // The failing piece waits until the slow one runs: a piece not yet started is cancelled instead.
    CountDownLatch slowStarted = new CountDownLatch(1);
    assertThatThrownBy(() -> Concurrently.map(List.of("fails", "slow"), item -> {
      if (item.equals("fails")) {
        await(slowStarted);
        throw new IllegalStateException("Cannot do it: planted");
      }
      slowStarted.countDown();
      sleep(300);
      slowFinished.set(true);
      return item;
    }, item -> "run " + item)).isInstanceOf(IllegalStateException.class).hasMessage("Cannot do it: planted");
    assertThat(slowFinished).as("the running piece finished before the caller went on").isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("the slow piece started").isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
