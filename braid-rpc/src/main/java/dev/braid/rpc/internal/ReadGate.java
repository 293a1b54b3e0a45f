package dev.braid.rpc.internal;

import io.netty.channel.Channel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single owner of a connection's socket read switch (Netty's auto-read). Reading stops
 * while any stream holds more than its cap of unread messages (plain DRPC's only flow
 * control is TCP back-pressure) or while received-but-unread bytes across the connection
 * exceed the connection cap; it resumes only when neither holds (the connection below half
 * its cap).
 *
 * <p>Threading: {@link #pause} and {@link #streamGone} on the event loop; {@link #resume}
 * and {@link #unread} from any thread (they hop to the loop to touch the switch).
 */
final class ReadGate {
  private final Set<RpcStream> paused = new HashSet<>();
  private final AtomicLong unreadBytes = new AtomicLong();
  private final long cap;
  private Channel channel;
  /** loop: the connection cap is exceeded. */
  private boolean connectionPaused;

  ReadGate(long cap) {
    this.cap = cap;
  }

  void attach(Channel channel) {
    this.channel = channel;
  }

  private void open() {
    if (paused.isEmpty() && !connectionPaused) {
      channel.config().setAutoRead(true);
      channel.read();
    }
  }

  /** Event loop: {@code s} is over its cap; stop reading. */
  void pause(RpcStream s) {
    if (paused.add(s)) {
      channel.config().setAutoRead(false);
    }
  }

  /** Any thread: {@code s} drained below its cap. */
  void resume(RpcStream s) {
    channel.eventLoop().execute(() -> {
      if (paused.remove(s)) {
        open();
      }
    });
  }

  /** Event loop: {@code s} left the connection. */
  void streamGone(RpcStream s) {
    if (paused.remove(s) && paused.isEmpty() && !connectionPaused) {
      channel.config().setAutoRead(true);
    }
  }

  /**
   * Any thread: {@code delta} bytes of complete messages were queued (positive) or read or
   * dropped (negative).
   */
  void unread(long delta) {
    if (delta == 0) {
      return;
    }
    long now = unreadBytes.addAndGet(delta);
    if (delta > 0 && now > cap) {
      if (!connectionPaused) {
        connectionPaused = true; // on the loop: queuing happens there
        channel.config().setAutoRead(false);
      }
    } else if (delta < 0 && now <= cap / 2) {
      channel.eventLoop().execute(() -> {
        if (connectionPaused && unreadBytes.get() <= cap / 2) {
          connectionPaused = false;
          open();
        }
      });
    }
  }

  /** Event loop: the connection closed. */
  void clear() {
    paused.clear();
  }
}
