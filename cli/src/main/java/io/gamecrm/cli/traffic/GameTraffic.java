package io.gamecrm.cli.traffic;

import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic, deterministic game traffic: for a seed, the same sequence of events every time.
 * Players are {@code p-0000001…}; each has a skill that sets how often they lose. The mix is about
 * 25% logins, 45% fights, 18% builds, 12% purchases, and a configurable share of invalid records
 * (to show the dead-letter path). Timestamps come from the caller, so latency can be measured
 * against the moment an event was produced.
 *
 * <p>With an {@link OfferResponse}, players answer the campaign's offer: who would get it (the
 * shipped story) and in which group is decided here from the topology's own rules, and later events
 * (their purchase, an {@code offer_shown}) come out of {@link #next} when their event time is due.
 * Without one, the traffic is what it always was for a seed.
 */
public final class GameTraffic {
    private static final String[] PLATFORMS = {"android", "ios", "pc", "console", "web"};
    private static final String[] BUILDINGS = {"tank-factory", "barracks", "hq", "radar", "depot", "wall"};
    private static final String[] ITEMS = {"gem-pack-small", "gem-pack-large", "battle-pass", "tank-skin", "boost-24h"};
    private static final String[] MARKETS = {"FR", "DE", "US", "GB", "BR", "JP", "KR"};
    /** The game of the generated traffic (the gateway key of the demo belongs to it). */
    public static final String GAME = "tank-wars";

    private final SplittableRandom random;
    private final int players;
    private final double invalidShare;
    private final ResponseModel response;

    /** One generated record: the Kafka key (player id) and the value (JSON, or garbage when invalid). */
    public record Event(String playerId, String eventId, String type, String json, boolean valid) {
    }

    public GameTraffic(long seed, int players, double invalidShare) {
        this(seed, players, invalidShare, null);
    }

    /** Traffic whose players answer the offer as {@code response} says (null: they do not). */
    public GameTraffic(long seed, int players, double invalidShare, OfferResponse response) {
        if (players < 1) {
            throw new IllegalArgumentException("players must be at least 1, got " + players);
        }
        if (invalidShare < 0 || invalidShare > 1) {
            throw new IllegalArgumentException("invalid share must be within [0, 1], got " + invalidShare);
        }
        this.random = new SplittableRandom(seed);
        this.players = players;
        this.invalidShare = invalidShare;
        this.response = response == null ? null : new ResponseModel(response, GAME, players, random.split());
    }

    /** What the players did about the offer so far (all zero without a response). */
    public ResponseTally tally() {
        return response == null ? new ResponseTally() : response.tally();
    }

    public static String playerId(int n) {
        return String.format(Locale.ROOT, "p-%07d", n);
    }

    /** The next event, timestamped {@code now}. */
    public Event next(Instant now) {
        if (response != null) {
            ResponseModel.Scheduled due = response.due(now.toEpochMilli());
            if (due != null) {
                return scheduled(due, now);
            }
        }
        int p = random.nextInt(players);
        String player = playerId(p);
        String eventId = uuid();
        if (invalidShare > 0 && random.nextDouble() < invalidShare) {
            return invalid(player, eventId, now);
        }
        double r = random.nextDouble();
        if (r < 0.25) {
            return new Event(player, eventId, "login", login(eventId, player, now, PLATFORMS[p % PLATFORMS.length]), true);
        }
        if (r < 0.70) {
            // skill from the player number: some players lose most fights, some rarely
            double lose = 0.2 + 0.5 * ((p * 2654435761L & 0xffff) / 65535.0);
            double x = random.nextDouble();
            String result = x < lose ? "lost" : x < lose + 0.05 ? "draw" : "won";
            Event fight = new Event(player, eventId, "fight", fight(eventId, player, now, result,
                    random.nextBoolean() ? "npc" : "player", "opp-" + random.nextInt(10_000)), true);
            if (response != null) {
                response.fought(p, player, eventId, result, now.toEpochMilli());
            }
            return fight;
        }
        if (r < 0.88 || response != null && response.inWindow(p, now.toEpochMilli())) {
            // in a conversion window the player's only purchase is the answer to the offer
            return new Event(player, eventId, "build", build(eventId, player, now,
                    BUILDINGS[random.nextInt(BUILDINGS.length)], 1 + random.nextInt(30)), true);
        }
        String item = ITEMS[random.nextInt(ITEMS.length)];
        return new Event(player, eventId, "purchase", purchase(eventId, player, now, item,
                1 + random.nextInt(3), Math.round(random.nextDouble() * 2000) / 100.0, "EUR",
                MARKETS[p % MARKETS.length]), true);
    }

    private Event scheduled(ResponseModel.Scheduled s, Instant now) {
        String player = playerId(s.player());
        String eventId = uuid();
        if (OfferResponse.PURCHASE.equals(s.type())) {
            return new Event(player, eventId, s.type(), purchase(eventId, player, now,
                    ITEMS[random.nextInt(ITEMS.length)], 1, Math.round(random.nextDouble() * 2000) / 100.0, "EUR",
                    MARKETS[s.player() % MARKETS.length], s.exact() ? s.triggerId() : null), true);
        }
        return new Event(player, eventId, s.type(), envelope(eventId, s.type(), player, now, "{\"trigger_id\":\""
                + s.triggerId() + "\",\"campaign\":\"" + response.campaign() + "\",\"placement\":\"popup\"}", null), true);
    }

    private Event invalid(String player, String eventId, Instant now) {
        switch (random.nextInt(3)) {
            case 0:
                return new Event(player, eventId, "fight", fight(eventId, player, now, "won-ish", "npc", "camp"), false);
            case 1:
                return new Event(player, eventId, "login", "{\"event_id\":\"" + eventId + "\",\"event_type\":\"login\"", false);
            default:
                return new Event(player, eventId, "dance", "{\"event_id\":\"" + eventId + "\",\"event_type\":\"dance\","
                        + "\"player_id\":\"" + player + "\",\"timestamp\":\"" + now + "\",\"game\":\"" + GAME
                        + "\",\"payload\":{}}", false);
        }
    }

    private String uuid() {
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** A random (version 4) event id from this generator's sequence. */
    public String nextEventId() {
        return uuid();
    }

    private static String envelope(String eventId, String type, String player, Instant at, String payload, String market) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"" + at + "\",\"game\":\"" + GAME + "\""
                + (market == null ? "" : ",\"market\":\"" + market + "\"") + ",\"payload\":" + payload + "}";
    }

    public static String login(String eventId, String player, Instant at, String platform) {
        return envelope(eventId, "login", player, at, "{\"platform\":\"" + platform + "\"}", null);
    }

    public static String fight(String eventId, String player, Instant at, String result, String opponentKind,
                               String opponentId) {
        return envelope(eventId, "fight", player, at, "{\"result\":\"" + result + "\",\"opponent\":{\"kind\":\""
                + opponentKind + "\",\"id\":\"" + opponentId + "\"},\"mode\":\"pvp\"}", null);
    }

    public static String build(String eventId, String player, Instant at, String building, int level) {
        return envelope(eventId, "build", player, at, "{\"building\":\"" + building + "\",\"level\":" + level + "}", null);
    }

    public static String purchase(String eventId, String player, Instant at, String item, int quantity, double price,
                                  String currency, String market) {
        return purchase(eventId, player, at, item, quantity, price, currency, market, null);
    }

    /** A purchase; {@code offerTriggerId}, when not null, names the offer it answers. */
    public static String purchase(String eventId, String player, Instant at, String item, int quantity, double price,
                                  String currency, String market, String offerTriggerId) {
        return envelope(eventId, "purchase", player, at, "{\"item_id\":\"" + item + "\",\"quantity\":" + quantity
                + ",\"price\":" + price + ",\"currency\":\"" + currency + "\""
                + (offerTriggerId == null ? "" : ",\"offer_trigger_id\":\"" + offerTriggerId + "\"") + "}", market);
    }
}
