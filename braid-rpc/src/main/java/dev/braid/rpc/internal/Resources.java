package dev.braid.rpc.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide defaults shared by connections and servers that were not given their own:
 * one NIO event loop group (one thread per core) and one cached pool for callbacks. All
 * threads are daemons, so they never keep a JVM alive.
 */
public final class Resources {
  private Resources() {}

  /**
   * Socket reads per channel per event-loop turn (Netty's default is 16): fewer, so that
   * tasks queued for the loop — a new call's first write — never wait behind a long burst
   * of a bulk transfer's data.
   */
  public static final int READS_PER_LOOP = 2;

  private static final class Holder {
    static final EventLoopGroup LOOPS = new MultiThreadIoEventLoopGroup(
        Runtime.getRuntime().availableProcessors(),
        new DefaultThreadFactory("braid-io", true), NioIoHandler.newFactory());
    static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(
        daemonThreads("braid-callback"));
  }

  /** The shared event loop group. */
  public static EventLoopGroup eventLoops() {
    return Holder.LOOPS;
  }

  /** The shared executor for client callbacks. */
  public static ExecutorService callbackExecutor() {
    return Holder.CALLBACKS;
  }

  /** A factory of daemon threads named {@code prefix-N}. */
  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
