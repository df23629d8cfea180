package io.gamecrm.local;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Checks and readers for the settings of the local servers ({@link StackConfig}, {@code StormClusterConfig}):
 * ports, heap sizes, timeouts, and values read from system properties or the environment. Each check returns the
 * value it accepted and throws {@link IllegalArgumentException} naming the setting otherwise.
 */
public final class ConfigValues {

    /** A heap size as {@code -Xmx} takes it: a number, optionally followed by k, m or g. */
    public static final Pattern HEAP = Pattern.compile("(\\d+)([kKmMgG]?)");

    private ConfigValues() {
    }

    /** The port, if it is in 1..65535. */
    public static int port(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535: " + port);
        }
        return port;
    }

    /** The heap size, if it looks like {@link #HEAP} ("512m", "1g"). */
    public static String heap(String value, String name) {
        if (value == null || !HEAP.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must look like 512m or 1g: " + value);
        }
        return value;
    }

    /** The duration, if it is positive. */
    public static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    public static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The property {@code key} as a number; {@code fallback} when it is unset or blank. */
    public static int intProp(Properties props, String key, int fallback) {
        String v = props.getProperty(key);
        if (blank(v)) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + key + " must be a number: " + v, e);
        }
    }

    /** The property {@code key} as whole seconds; {@code fallback} when it is unset or blank. */
    public static Duration seconds(Properties props, String key, Duration fallback) {
        String v = props.getProperty(key);
        return blank(v) ? fallback : Duration.ofSeconds(intProp(props, key, 0));
    }

    /** The property {@code key}, else the environment variable {@code envKey}, trimmed; empty if both are blank. */
    public static Optional<String> propOrEnv(Properties props, String key, Map<String, String> env, String envKey) {
        String v = props.getProperty(key);
        if (blank(v)) {
            v = env.get(envKey);
        }
        return blank(v) ? Optional.empty() : Optional.of(v.trim());
    }
}
