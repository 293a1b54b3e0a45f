package dev.braid.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.wire.ProtocolException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The reconnect backoff's sequence, and the stream-id record against a plain set. */
class BackoffAndStreamIdsTest {
  @Test
  void backoffFollowsGrpcDefaultsWithinTheJitter() {
    // random 0.5 is no jitter: 1 s, 1.6 s, 2.56 s, ... capped at 120 s
    Backoff none = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MULTIPLIER,
        Backoff.DEFAULT_JITTER, Backoff.DEFAULT_MAX, () -> 0.5);
    double expected = 1000;
    for (int i = 0; i < 20; i++) {
      long ms = TimeUnit.NANOSECONDS.toMillis(none.nextDelayNanos());
      assertThat((double) ms).isCloseTo(Math.min(expected, 120_000), org.assertj.core.data
          .Offset.offset(1.0));
      expected *= 1.6;
    }
    // the extremes of the random source are the ±20 % bounds
    Backoff low = new Backoff(Duration.ofSeconds(1), 1.6, 0.2, Duration.ofSeconds(120),
        () -> 0.0);
    Backoff high = new Backoff(Duration.ofSeconds(1), 1.6, 0.2, Duration.ofSeconds(120),
        () -> 0.999999);
    assertThat(TimeUnit.NANOSECONDS.toMillis(low.nextDelayNanos())).isEqualTo(800);
    assertThat(TimeUnit.NANOSECONDS.toMillis(high.nextDelayNanos())).isBetween(1199L, 1200L);
    // a success starts over
    none.reset();
    assertThat(TimeUnit.NANOSECONDS.toMillis(none.nextDelayNanos())).isEqualTo(1000);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, 1.6, 0.2, Duration.ofSeconds(1),
        () -> 0.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamIdsAgreeWithASetOfSeenIds() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      StreamIds ids = new StreamIds(10_000);
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        long sid = 1 + random.nextInt(400);
        assertThat(ids.isNew(sid)).as("id %d", sid).isEqualTo(!seen.contains(sid));
        if (ids.isNew(sid)) {
          ids.markSeen(sid);
          seen.add(sid);
        }
      }
      for (long sid = 1; sid <= 401; sid++) {
        assertThat(ids.isNew(sid)).isEqualTo(!seen.contains(sid));
      }
    }
  }

  @Test
  void tooManyHolesInTheIdsAreAProtocolError() {
    StreamIds ids = new StreamIds(3);
    ids.markSeen(2);
    ids.markSeen(4);
    ids.markSeen(6);
    assertThat(ids.gapCount()).isEqualTo(3);
    assertThatThrownBy(() -> ids.markSeen(8)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("ranges of unused stream ids");
    // a jump over many ids costs one range
    StreamIds jump = new StreamIds(1);
    jump.markSeen(1L << 40);
    assertThat(jump.gapCount()).isEqualTo(1);
    assertThat(jump.isNew(12345)).isTrue();
    assertThat(jump.isNew(1L << 40)).isFalse();
  }
}
