package io.gamecrm.local;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Authentication of the local servers. {@link #NONE} (the default): Kafka's client listener speaks PLAINTEXT
 * and Cassandra lets anyone in. With Kafka credentials the client listener speaks SASL_SSL (mechanism PLAIN,
 * a certificate for {@value StackConfig#HOST} made at the first start by {@link LocalTls}), and the broker
 * accepts that one user; with Cassandra credentials the node runs {@code PasswordAuthenticator} and the role
 * is created (not a superuser) at the first start, through the default superuser.
 *
 * @param kafka         the SASL/PLAIN user of the broker's client listener; empty: PLAINTEXT
 * @param cassandra     the login role of the node; empty: no authentication
 * @param storePassword the password of the key store and trust store under {@code <base>/tls/}; used only
 *                      when {@code kafka} is set
 */
public record StackSecurity(Optional<Credentials> kafka, Optional<Credentials> cassandra, String storePassword) {

    public static final StackSecurity NONE = new StackSecurity(Optional.empty(), Optional.empty(), "");

    /** SASL/PLAIN (Kafka) and CQL (Cassandra) as the local servers speak them. */
    public static final String KAFKA_SECURITY_PROTOCOL = "SASL_SSL";
    public static final String KAFKA_SASL_MECHANISM = "PLAIN";
    public static final String KAFKA_PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    /** @throws IllegalArgumentException if Kafka is secured and the store password is shorter than 6 characters */
    public StackSecurity {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(cassandra, "cassandra");
        Objects.requireNonNull(storePassword, "storePassword");
        if (kafka.isPresent() && storePassword.length() < 6) {
            throw new IllegalArgumentException("storePassword: keytool needs at least 6 characters");
        }
    }

    public static StackSecurity of(Credentials kafka, Credentials cassandra, String storePassword) {
        return new StackSecurity(Optional.of(kafka), Optional.of(cassandra), storePassword);
    }

    public boolean kafkaSecured() {
        return kafka.isPresent();
    }

    /** The JAAS line a Kafka client logs in with as {@code user}. */
    public static String clientJaas(Credentials user) {
        return KAFKA_PLAIN_LOGIN_MODULE + " required username=\"" + user.username() + "\" password=\""
                + user.password() + "\";";
    }

    /**
     * A user name and password. Both are written into a JAAS line and a CQL string literal unquoted, so they
     * are limited to letters, digits and {@code - _ . @ ! # % + =}.
     */
    public record Credentials(String username, String password) {
        private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.@!#%+=-]+");

        /** @throws IllegalArgumentException if either is empty or has another character */
        public Credentials {
            check(username, "username");
            check(password, "password");
        }

        private static void check(String value, String name) {
            if (value == null || !SAFE.matcher(value).matches()) {
                throw new IllegalArgumentException(name + " must be letters, digits or - _ . @ ! # % + = (not empty)");
            }
        }

        @Override
        public String toString() {
            return username + ":****";
        }
    }
}
