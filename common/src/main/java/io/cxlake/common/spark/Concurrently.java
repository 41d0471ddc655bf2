package io.cxlake.common.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Independent pieces of Spark work run from a few driver threads. On small data a Spark job's cost
 * is mostly driver-side (planning, code generation, scheduling small tasks), which a second thread
 * overlaps with the first one's tasks. The results do not depend on the threads: each piece is its
 * own plan, and they come back in the order of the items.
 */
public final class Concurrently {
  /** Threads of {@link #map}: two keep both cores of a small machine busy without oversubscribing a cluster's driver. */
  public static final int THREADS = 2;

  private Concurrently() {}

  /**
   * {@code work} applied to every item, {@link #THREADS} at a time, in the items' order.
   *
   * @param action what one piece does, for the error of a failed piece: "Cannot " + action(item) + ": ..."
   */
  public static <T, R> List<R> map(List<T> items, Function<T, R> work, Function<T, String> action) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(THREADS, items.size())));
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        try {
          out.add(await(futures.get(i), action.apply(items.get(i))));
        } catch (RuntimeException e) {
          // The pieces not started never start; the running ones finish before the caller goes on
          // (and, say, unpersists what they read): an interrupt does not stop a Spark job.
          futures.forEach(f -> f.cancel(false));
          pool.shutdown();
          awaitRunning(pool);
          throw e;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitRunning(ExecutorService pool) {
    try {
      pool.awaitTermination(1, TimeUnit.DAYS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <R> R await(Future<R> future, String action) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot " + action + ": interrupted", e);
    } catch (ExecutionException e) {
      // The piece's own error already says what failed and why.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("Cannot " + action + ": " + e.getCause(), e);
    }
  }
}
