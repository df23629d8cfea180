package io.gamecrm.access;

/**
 * Kafka or Cassandra cannot be used with the configured address and credentials; the message says which
 * server, what it answered and which properties to check. Thrown at start, once: never retried.
 */
public final class ClusterAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Problem {
        /** The Kafka client refused its own settings (e.g. SASL without a JAAS line, a missing trust store). */
        KAFKA_SETTINGS,
        /** The broker refused the SASL login. */
        KAFKA_AUTHENTICATION,
        /** The TLS handshake with the broker failed (e.g. its certificate is not in the trust store). */
        KAFKA_TLS,
        /** No answer within the time limit: the broker is down, or its listener expects another protocol. */
        KAFKA_UNREACHABLE,
        /** The node requires a login the settings do not give, or refused the one they give. */
        CASSANDRA_AUTHENTICATION,
        /** No Cassandra node could be reached. */
        CASSANDRA_UNREACHABLE
    }

    private final Problem problem;

    public ClusterAccessException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
