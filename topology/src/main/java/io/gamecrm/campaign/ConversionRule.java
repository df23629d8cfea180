package io.gamecrm.campaign;

import io.gamecrm.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What counts as converting for a campaign, declared as {@code conversion: {on: 'purchase', within:
 * '24h', value: 'price'}}: an event of type {@code on} of the exposed player, later than the
 * exposure (a fired or held-out offer) by at most {@code within} (event time). {@code value}, when
 * given, is the path of a number in the converting event's payload (e.g. {@code price},
 * {@code reward.gems}), recorded as the conversion's value.
 *
 * @param value null when the conversion has no value
 */
public record ConversionRule(String on, Duration within, String value) {
    /** The longest window: open exposures are kept in the player's state until their window ends. */
    public static final Duration MAX_WITHIN = Duration.ofDays(30);
    private static final Set<String> KEYS = Set.of("on", "within", "value");
    /** An event type as the envelope schema allows it. */
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}");

    public ConversionRule {
        if (on == null || !EVENT_TYPE.matcher(on).matches()) {
            throw new IllegalArgumentException("conversion.on must be an event type (lower-case letters, digits and"
                    + " '_', starting with a letter, e.g. 'purchase'), got " + Json.write(on));
        }
        if (within == null || within.isNegative() || within.isZero() || within.compareTo(MAX_WITHIN) > 0) {
            throw new IllegalArgumentException("conversion.within must be a duration of at most 30d, got " + within);
        }
        if (value != null && !PATH.matcher(value).matches()) {
            throw new IllegalArgumentException("conversion.value must be the path of a payload field, like 'price' or"
                    + " 'reward.gems', got " + Json.write(value));
        }
    }

    /** Parses the declared object (null: no conversion); the message of the exception says what is wrong. */
    public static ConversionRule parse(Object declared) {
        if (declared == null) {
            return null;
        }
        if (!(declared instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("conversion must be an object like {on: 'purchase', within: '24h'}, got "
                    + Json.write(declared));
        }
        for (Object key : m.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown conversion key '" + key + "' (allowed: on, within, value)");
            }
        }
        if (!(m.get("on") instanceof String on)) {
            throw new IllegalArgumentException("conversion.on must be an event type like 'purchase', got "
                    + Json.write(m.get("on")));
        }
        Duration within = CampaignCaps.duration(m.get("within"), "conversion.within");
        Object value = m.get("value");
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("conversion.value must be a string, the path of a payload field like"
                    + " 'price', got " + Json.write(value));
        }
        return new ConversionRule(on, within, (String) value);
    }

    /** Whether an event of this type may convert. */
    public boolean matches(String eventType) {
        return on.equals(eventType);
    }

    /** The conversion's value in the event's payload, or null (no value declared, or the field is not a number). */
    public Double valueOf(Map<String, Object> payload) {
        if (value == null || payload == null) {
            return null;
        }
        Object v = payload;
        for (String part : value.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(part);
        }
        return v instanceof Number n ? n.doubleValue() : null;
    }
}
