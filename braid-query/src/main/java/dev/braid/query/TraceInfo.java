package dev.braid.query;

import java.util.Objects;
import java.util.UUID;

/**
 * Tracing state propagated with a read command.
 *
 * @param sessionId                the tracing session
 * @param type                     what is traced
 * @param writeOnClose             whether the replica writes its trace records when done
 * @param stateProps               trace-state property bits
 * @param slowQueryThresholdMicros slow-query logging threshold
 * @param slowQueryTtlSeconds      TTL of slow-query records
 * @param parentSpanId             the coordinator's span id
 * @param startTimestampMicros     when the traced session started
 */
public record TraceInfo(UUID sessionId, Type type, boolean writeOnClose, long stateProps,
        long slowQueryThresholdMicros, int slowQueryTtlSeconds, long parentSpanId, long startTimestampMicros) {
    /** What a tracing session traces; the wire value is the ordinal. */
    public enum Type {
        /** Nothing. */
        NONE,
        /** A query. */
        QUERY,
        /** A repair. */
        REPAIR
    }

    /** Validates. */
    public TraceInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(type, "type");
        if (slowQueryTtlSeconds < 0) {
            throw new IllegalArgumentException("slowQueryTtlSeconds must be >= 0");
        }
    }
}
