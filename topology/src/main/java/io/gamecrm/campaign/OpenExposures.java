package io.gamecrm.campaign;

import io.gamecrm.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A player's exposures that may still convert: those of campaigns with a conversion rule, until
 * their window ends (event time). Each keeps the rule it was exposed under, so a later change of
 * the campaign's file does not change how an earlier offer is attributed. Mutable; part of the
 * player's state, written with it, which is what makes a conversion happen exactly once: the
 * event that converts an exposure closes it in the same state row that marks the event applied.
 */
public final class OpenExposures {
    /** Open exposures kept per player at most; beyond, the oldest is dropped (never converts). */
    public static final int MAX_OPEN = 32;
    /** The event type that attributes by trigger id whatever the rule's type. */
    public static final String OFFER_ACCEPTED = "offer_accepted";

    /** An exposure with the rule it converts under and the end of its window. */
    public record Open(Exposure exposure, ConversionRule rule, long untilMs) {
    }

    private final List<Open> open;

    private OpenExposures(List<Open> open) {
        this.open = open;
    }

    public static OpenExposures empty() {
        return new OpenExposures(new ArrayList<>());
    }

    public List<Open> open() {
        return List.copyOf(open);
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    /** Keeps an exposure open for its campaign's rule (nothing when the campaign has none). */
    public void add(Exposure e, ConversionRule rule) {
        if (rule == null) {
            return;
        }
        open.add(new Open(e, rule, e.eventTimeMs() + rule.within().toMillis()));
        while (open.size() > MAX_OPEN) {
            open.remove(0);
        }
    }

    /**
     * The conversions an event makes, closing the exposures they convert: per campaign at most
     * one, that of the exposure the event names by trigger id ({@code offer_accepted}'s
     * {@code trigger_id}, or {@code offer_trigger_id} in an event of the rule's type), else the
     * latest open one whose rule counts the event's type. An exposure converts only by an event
     * not earlier than itself and not later than its window's end. Exposures whose window ended
     * before the event are dropped.
     */
    public List<Conversion> convert(String eventId, String eventType, long eventTimeMs, Map<String, Object> payload) {
        return convert(eventId, eventType, eventTimeMs, () -> payload);
    }

    /**
     * As {@link #convert(String, String, long, Map)}, reading the payload only for an event that can
     * convert an open exposure (an {@code offer_accepted}, or an event of an open rule's type).
     */
    public List<Conversion> convert(String eventId, String eventType, long eventTimeMs,
                                    Supplier<Map<String, Object>> payloadOf) {
        open.removeIf(o -> o.untilMs() < eventTimeMs);
        if (!OFFER_ACCEPTED.equals(eventType) && open.stream().noneMatch(o -> o.rule().matches(eventType))) {
            return List.of();
        }
        Map<String, Object> payload = payloadOf.get();
        String named = named(eventType, payload);
        List<Conversion> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        if (named != null) {
            for (int i = 0; i < open.size(); i++) {
                Open o = open.get(i);
                boolean accepted = OFFER_ACCEPTED.equals(eventType);
                if (o.exposure().triggerId().equals(named) && inWindow(o, eventTimeMs)
                        && (accepted || o.rule().matches(eventType))) {
                    out.add(new Conversion(o.exposure(), eventId, eventType, eventTimeMs, o.rule().valueOf(payload),
                            accepted ? Conversion.Attribution.OFFER_ACCEPTED : Conversion.Attribution.TRIGGER_ID));
                    done.add(o.exposure().campaign());
                    open.remove(i);
                    break;
                }
            }
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            Open o = open.get(i);
            if (o.rule().matches(eventType) && inWindow(o, eventTimeMs) && done.add(o.exposure().campaign())) {
                out.add(new Conversion(o.exposure(), eventId, eventType, eventTimeMs, o.rule().valueOf(payload),
                        Conversion.Attribution.WINDOW));
                open.remove(i);
            }
        }
        return out;
    }

    private static boolean inWindow(Open o, long eventTimeMs) {
        return eventTimeMs >= o.exposure().eventTimeMs() && eventTimeMs <= o.untilMs();
    }

    private static String named(String eventType, Map<String, Object> payload) {
        if (payload == null) {
            return null;
        }
        Object id = payload.get(OFFER_ACCEPTED.equals(eventType) ? "trigger_id" : "offer_trigger_id");
        return id instanceof String s ? s : null;
    }

    /** As stored in the player's state row. */
    public String toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Open o : open) {
            Exposure e = o.exposure();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("campaign", e.campaign());
            m.put("group", e.group().label());
            m.put("trigger_id", e.triggerId());
            m.put("cause", e.causeEventId());
            m.put("at", e.eventTimeMs());
            m.put("on", o.rule().on());
            m.put("within_ms", o.rule().within().toMillis());
            if (o.rule().value() != null) {
                m.put("value", o.rule().value());
            }
            out.add(m);
        }
        return Json.write(out);
    }

    /** Reads what {@link #toJson()} wrote; null or blank: none. */
    @SuppressWarnings("unchecked")
    public static OpenExposures fromJson(String playerId, String json) {
        OpenExposures x = empty();
        if (json == null || json.isBlank()) {
            return x;
        }
        try {
            for (Object item : Json.MAPPER.readValue(json, List.class)) {
                Map<String, Object> m = (Map<String, Object>) item;
                Exposure e = new Exposure((String) m.get("campaign"), playerId,
                        Exposure.Group.valueOf(((String) m.get("group")).toUpperCase(Locale.ROOT)),
                        (String) m.get("trigger_id"), (String) m.get("cause"), ((Number) m.get("at")).longValue());
                ConversionRule rule = new ConversionRule((String) m.get("on"),
                        Duration.ofMillis(((Number) m.get("within_ms")).longValue()), (String) m.get("value"));
                x.open.add(new Open(e, rule, e.eventTimeMs() + rule.within().toMillis()));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt open exposures: " + e.getMessage(), e);
        }
        return x;
    }
}
