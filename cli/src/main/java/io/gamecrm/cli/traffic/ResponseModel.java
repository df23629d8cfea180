package io.gamecrm.cli.traffic;

import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.trigger.Triggers;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The state of an {@link OfferResponse} over one run of the generator: each player's streak of
 * lost fights and offers of the day (as the shipped handlers and the campaign's cap keep them), the
 * open conversion windows, and the events the players will send later in event time.
 */
final class ResponseModel {
    /** The shipped story: the offer fires on the third fight lost in a row (handlers-js/battle-tanks-offer.js). */
    static final int LOST_IN_A_ROW = 3;
    private static final long DAY_MS = 86_400_000L;
    private static final long SHOWN_AFTER_MS = 1_000L;

    /** An event a player sends later: an offer_shown, or the purchase that answers an offer. */
    record Scheduled(long atMs, long seq, int player, String type, String triggerId, long untilMs, boolean exact) {
    }

    private final OfferResponse response;
    private final String game;
    private final SplittableRandom random;
    private final int[] streak;
    private final long[] day;
    private final int[] offersToday;
    private final long[] windowEndMs;
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::atMs).thenComparingLong(Scheduled::seq));
    private final ResponseTally tally = new ResponseTally();
    private long seq;

    ResponseModel(OfferResponse response, String game, int players, SplittableRandom random) {
        this.response = response;
        this.game = game;
        this.random = random;
        this.streak = new int[players];
        this.day = new long[players];
        Arrays.fill(day, Long.MIN_VALUE);
        this.offersToday = new int[players];
        this.windowEndMs = new long[players];
        Arrays.fill(windowEndMs, Long.MIN_VALUE);
    }

    /** A valid fight of player {@code p} at {@code atMs}: the streak moves; on a third loss the offer may fire. */
    void fought(int p, String playerId, String eventId, String result, long atMs) {
        streak[p] = "lost".equals(result) ? streak[p] + 1 : 0;
        if (streak[p] != LOST_IN_A_ROW || !underDailyCap(p, atMs)) {
            return;
        }
        Exposure.Group group = Holdout.group(game, response.campaign(), playerId, response.holdout(),
                response.globalHoldout());
        tally.exposed(p, group);
        String triggerId = Triggers.triggerId(response.campaign(), playerId, eventId);
        long until = atMs + response.within().toMillis();
        if (group == Exposure.Group.TREATED && response.reportOffers()) {
            schedule(new Scheduled(atMs + SHOWN_AFTER_MS, seq++, p, "offer_shown", triggerId, until, true));
        }
        if (windowEndMs[p] < atMs) {
            // a new window: the player answers this offer (or not), and buys nothing else until it ends
            double rate = group == Exposure.Group.TREATED ? response.treatedRate() : response.heldOutRate();
            if (random.nextDouble() < rate) {
                long delay = 1 + random.nextLong(response.maxDelay().toMillis());
                schedule(new Scheduled(atMs + delay, seq++, p, OfferResponse.PURCHASE, triggerId, until,
                        group == Exposure.Group.TREATED && response.reportOffers()));
            }
        }
        windowEndMs[p] = Math.max(windowEndMs[p], until);
    }

    private boolean underDailyCap(int p, long atMs) {
        long d = Math.floorDiv(atMs, DAY_MS);
        if (day[p] != d) {
            day[p] = d;
            offersToday[p] = 0;
        }
        if (response.perPlayerPerDay() > 0 && offersToday[p] >= response.perPlayerPerDay()) {
            return false;
        }
        offersToday[p]++;
        return true;
    }

    private void schedule(Scheduled s) {
        scheduled.add(s);
    }

    /** Whether player p is in a conversion window at {@code atMs}: their own purchases wait until it ends. */
    boolean inWindow(int p, long atMs) {
        return atMs <= windowEndMs[p];
    }

    /**
     * The next scheduled event due at {@code nowMs}, or null. A purchase due after its window (the
     * traffic stalled) is dropped: it would not convert.
     */
    Scheduled due(long nowMs) {
        while (!scheduled.isEmpty() && scheduled.peek().atMs() <= nowMs) {
            Scheduled s = scheduled.poll();
            if (nowMs <= s.untilMs()) {
                if (OfferResponse.PURCHASE.equals(s.type())) {
                    tally.converted(s.player());
                }
                return s;
            }
        }
        return null;
    }

    String campaign() {
        return response.campaign();
    }

    ResponseTally tally() {
        return tally;
    }
}
