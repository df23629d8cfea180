package io.gamecrm.campaign;

import io.gamecrm.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guardrails a campaign declares in {@code caps}:
 * <ul>
 *   <li>{@code perPlayerPerDay: n} - at most n offers per player per calendar day (UTC, of the event time);</li>
 *   <li>{@code cooldown: '6h'} - a player is re-eligible only this long after the last offer;</li>
 *   <li>{@code budget: {max: 600, per: '1m'}} - at most max offers per window in all; over it the
 *       campaign pauses itself and an alert goes to the maintenance topic.</li>
 * </ul>
 * Durations are written like 30s, 15m, 6h, 1d. Any other key is an error, so a typo cannot
 * silently remove a guardrail.
 *
 * @param perPlayerPerDay 0 = no daily cap
 * @param cooldown        null = none
 * @param budgetMax       0 = no budget
 * @param budgetWindow    null when there is no budget
 */
public record CampaignCaps(int perPlayerPerDay, Duration cooldown, int budgetMax, Duration budgetWindow) {
    public static final CampaignCaps NONE = new CampaignCaps(0, null, 0, null);
    private static final Set<String> KEYS = Set.of("perPlayerPerDay", "cooldown", "budget");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    /** Parses the caps object; the message of the exception says what is wrong. */
    public static CampaignCaps parse(String capsJson) {
        Map<String, Object> caps = Json.readObject(capsJson == null ? "{}" : capsJson);
        for (String key : caps.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown cap '" + key + "' (allowed: perPlayerPerDay, cooldown, budget)");
            }
        }
        int perDay = 0;
        if (caps.containsKey("perPlayerPerDay")) {
            perDay = positiveInt(caps.get("perPlayerPerDay"), "perPlayerPerDay");
        }
        Duration cooldown = caps.containsKey("cooldown") ? duration(caps.get("cooldown"), "cooldown") : null;
        int budgetMax = 0;
        Duration window = null;
        if (caps.containsKey("budget")) {
            if (!(caps.get("budget") instanceof Map<?, ?> budget)) {
                throw new IllegalArgumentException("budget must be an object like {max: 600, per: '1m'}");
            }
            for (Object key : budget.keySet()) {
                if (!"max".equals(key) && !"per".equals(key)) {
                    throw new IllegalArgumentException("unknown budget key '" + key + "' (allowed: max, per)");
                }
            }
            budgetMax = positiveInt(budget.get("max"), "budget.max");
            window = duration(budget.get("per"), "budget.per");
        }
        return new CampaignCaps(perDay, cooldown, budgetMax, window);
    }

    private static int positiveInt(Object value, String what) {
        if (value instanceof Integer i && i > 0) {
            return i;
        }
        throw new IllegalArgumentException(what + " must be a positive integer, got " + Json.write(value));
    }

    static Duration duration(Object value, String what) {
        if (value instanceof String s) {
            Matcher m = DURATION.matcher(s.trim());
            if (m.matches() && Long.parseLong(m.group(1)) > 0) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        }
        throw new IllegalArgumentException(what + " must be a duration like '30s', '15m', '6h' or '1d', got "
                + Json.write(value));
    }

    public boolean hasBudget() {
        return budgetMax > 0;
    }
}
