package io.gamecrm.handlers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks a stored profile against the limits before handlers see it. A profile stored before the
 * limits existed (or before they were lowered), or damaged, must never wedge its player: if it is
 * not a JSON object, it is replaced by an empty one; otherwise the keys that break a limit (key too
 * long, value nested too deep or too large) are dropped; then, if it has too many keys or bytes,
 * keys until it uses at most three quarters of each (room for the handlers to go on): keys no
 * loaded file writes first, largest first. The player's events go on with the repaired profile; the
 * repair is reported (a maintenance event, with the keys dropped).
 */
public final class ProfileHealth {
    /** Reads what our own limits would refuse: deep nesting, long names and strings. */
    private static final ObjectMapper LENIENT = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(lenientConstraints()).build());

    private static StreamReadConstraints lenientConstraints() {
        StreamReadConstraints.Builder b = StreamReadConstraints.builder().maxNestingDepth(100_000)
                .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE);
        try {
            b = b.maxNameLength(Integer.MAX_VALUE);
        } catch (NoSuchMethodError olderJackson) {
            // Jackson before 2.16 (Spark's, in analytics) has no limit on names to lift
        }
        return b.build();
    }

    private ProfileHealth() {
    }

    /** A repaired profile: what it became, the keys dropped, and why in words. */
    public record Repair(String profileJson, List<String> dropped, String reason) {
    }

    /** Null when the profile is within the limits (the common case, checked cheaply); else the repair. */
    public static Repair check(String profileJson, HandlerLimits limits) {
        return check(profileJson, limits, key -> false);
    }

    /**
     * As {@link #check(String, HandlerLimits)}; {@code written} tells the keys a loaded file writes,
     * which are the last to go when the profile must shrink.
     */
    public static Repair check(String profileJson, HandlerLimits limits, Predicate<String> written) {
        if (profileJson == null || profileJson.isEmpty()) {
            return null;
        }
        JsonNode root;
        try {
            root = LENIENT.readTree(profileJson);
        } catch (Exception | StackOverflowError e) {
            root = null;
        }
        if (!(root instanceof ObjectNode profile)) {
            return new Repair("{}", List.of("(the whole profile)"), "the stored profile is not a JSON object ("
                    + profileJson.length() + " characters); starting from an empty profile");
        }
        List<String> dropped = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = profile.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String why = null;
            if (e.getKey().length() > limits.keyLength() || e.getKey().isEmpty()) {
                why = "key of " + e.getKey().length() + " characters";
            } else if (depth(e.getValue(), limits.valueDepth() + 1) > limits.valueDepth()) {
                why = "nested deeper than " + limits.valueDepth();
            } else if (tooLong(e.getValue(), limits)) {
                why = "a string or array over the limits";
            }
            if (why != null) {
                dropped.add(shorten(e.getKey()));
                reasons.add(shorten(e.getKey()) + ": " + why);
                it.remove();
            }
        }
        String json = profile.toString();
        if (profile.size() > limits.profileKeys() || json.length() > limits.profileBytes()) {
            int keys = limits.profileKeys() * 3 / 4;
            int bytes = limits.profileBytes() * 3 / 4;
            List<Map.Entry<String, JsonNode>> order = new ArrayList<>();
            profile.fields().forEachRemaining(order::add);
            order.sort(Comparator.comparing((Map.Entry<String, JsonNode> e) -> written.test(e.getKey()))
                    .thenComparing(Comparator.comparingInt((Map.Entry<String, JsonNode> e) ->
                            e.getValue().toString().length()).reversed()));
            int size = json.length();
            int i = 0;
            while ((profile.size() > keys || size > bytes) && i < order.size()) {
                Map.Entry<String, JsonNode> e = order.get(i++);
                size -= e.getKey().length() + e.getValue().toString().length() + 4;
                profile.remove(e.getKey());
                dropped.add(shorten(e.getKey()));
                reasons.add(shorten(e.getKey()) + ": dropped to fit " + keys + " keys / " + bytes + " bytes");
            }
            json = profile.toString();
        }
        if (dropped.isEmpty()) {
            return null;
        }
        return new Repair(json, List.copyOf(dropped), "the stored profile breaks the profile limits; dropped "
                + String.join("; ", reasons.size() > 10 ? reasons.subList(0, 10) : reasons)
                + (reasons.size() > 10 ? " and " + (reasons.size() - 10) + " more" : ""));
    }

    private static int depth(JsonNode node, int cap) {
        if (!node.isContainerNode() || cap <= 0) {
            return 0;
        }
        int max = 0;
        for (JsonNode child : node) {
            max = Math.max(max, depth(child, cap - 1));
            if (max >= cap) {
                break;
            }
        }
        return max + 1;
    }

    private static boolean tooLong(JsonNode node, HandlerLimits limits) {
        if (node.isTextual()) {
            return node.textValue().length() > limits.stringLength();
        }
        if (node.isArray() && node.size() > limits.arrayLength()) {
            return true;
        }
        if (node.isObject() && node.size() > limits.profileKeys()) {
            return true;
        }
        for (JsonNode child : node) {
            if (tooLong(child, limits)) {
                return true;
            }
        }
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                if (it.next().length() > limits.keyLength()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String shorten(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "...(" + key.length() + " characters)";
    }
}
