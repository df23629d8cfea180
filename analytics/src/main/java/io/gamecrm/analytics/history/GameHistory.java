package io.gamecrm.analytics.history;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A generated game history, the same for the same seed: every player logs in once a day, fights a
 * few times (lost, won or drawn), builds and sometimes buys, at their own hour of the day; plus
 * Bob's story across two days. Events are in time order, as a game would send them, each a
 * valid raw event (schemas/). For the integration tests and the benchmark.
 *
 * <p>Bob's story ({@value #BOB}): on the first day, late, he wins one fight and loses two; early on
 * the second day he loses again (three in a row across midnight: the offer), loses a fourth, wins,
 * then loses three more (three again: the cap of one offer a day suppresses it).
 */
public final class GameHistory {
    public static final String BOB = "bob";
    public static final String GAME = "tank-wars";

    /** One event: who, when, what, and the raw JSON the game sent. {@code result} is set for fights. */
    public record Event(String playerId, Instant time, String type, String result, String eventId, String json) {
    }

    private GameHistory() {
    }

    /** {@code players} players (p-00001 ...) over {@code days} days from {@code firstDay}, and Bob. */
    public static List<Event> generate(long seed, int players, LocalDate firstDay, int days) {
        if (players < 0 || days < 2) {
            throw new IllegalArgumentException("a history needs players >= 0 and at least two days");
        }
        List<Event> events = new ArrayList<>();
        for (int p = 1; p <= players; p++) {
            events.addAll(player(seed, p, firstDay, days));
        }
        bob(events, firstDay);
        events.sort(Comparator.comparing(Event::time).thenComparing(Event::playerId));
        return events;
    }

    /** One player's events over {@code days} days (player index from 1), in time order: for generating in parallel. */
    public static List<Event> player(long seed, int index, LocalDate firstDay, int days) {
        List<Event> events = new ArrayList<>();
        String player = String.format("p-%05d", index);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        for (int d = 0; d < days; d++) {
            day(events, player, firstDay.plusDays(d), random);
        }
        return events;
    }

    private static void day(List<Event> out, String player, LocalDate day, SplittableRandom random) {
        // a player's day: within 06:00..20:00 UTC, events 30..90 s apart
        Instant t = day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(6 * 3600 + random.nextInt(14 * 3600));
        out.add(login(player, t, random.nextBoolean() ? "android" : "ios"));
        int fights = 2 + random.nextInt(10);
        for (int f = 0; f < fights; f++) {
            t = t.plusSeconds(30 + random.nextInt(60));
            int r = random.nextInt(100);
            out.add(fight(player, t, r < 48 ? "lost" : r < 90 ? "won" : "draw"));
            if (random.nextInt(4) == 0) {
                t = t.plusSeconds(30 + random.nextInt(60));
                out.add(build(player, t, 1 + random.nextInt(9)));
            }
        }
        if (random.nextInt(3) == 0) {
            t = t.plusSeconds(30 + random.nextInt(60));
            out.add(purchase(player, t, random.nextInt(5) == 0 ? "battle-tank" : "gem-pack-small"));
        }
    }

    private static void bob(List<Event> out, LocalDate firstDay) {
        Instant t = firstDay.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(22 * 3600);
        out.add(login(BOB, t, "android"));
        for (String r : new String[] {"won", "lost", "lost"}) {
            t = t.plusSeconds(60);
            out.add(fight(BOB, t, r));
        }
        t = firstDay.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(8 * 3600);
        out.add(login(BOB, t, "android"));
        for (String r : new String[] {"lost", "lost", "won", "lost", "lost", "lost"}) {
            t = t.plusSeconds(60);
            out.add(fight(BOB, t, r));
        }
        out.add(purchase(BOB, t.plusSeconds(60), "battle-tank"));
    }

    static Event login(String player, Instant t, String platform) {
        return event(player, t, "login", null, "{\"platform\":\"" + platform + "\",\"client_version\":\"3.2.1\"}");
    }

    static Event fight(String player, Instant t, String result) {
        return event(player, t, "fight", result, "{\"result\":\"" + result + "\",\"opponent\":{\"kind\":\"npc\","
                + "\"id\":\"bandit-camp-3\"},\"mode\":\"pve\"}");
    }

    static Event build(String player, Instant t, int level) {
        return event(player, t, "build", null, "{\"building\":\"tank-factory\",\"level\":" + level
                + ",\"duration_s\":600,\"boosted\":false}");
    }

    static Event purchase(String player, Instant t, String item) {
        return event(player, t, "purchase", null, "{\"item_id\":\"" + item + "\",\"quantity\":1,\"price\":4.99,"
                + "\"currency\":\"EUR\"}");
    }

    private static Event event(String player, Instant t, String type, String result, String payload) {
        String id = UUID.nameUUIDFromBytes((player + "/" + t + "/" + type).getBytes(StandardCharsets.UTF_8)).toString();
        String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"" + t + "\",\"game\":\"" + GAME + "\",\"payload\":" + payload + "}";
        return new Event(player, t, type, result, id, json);
    }
}
