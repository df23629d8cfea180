package io.gamecrm.campaign;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Decides whether an offer a campaign handler asked for fires, and if not, why. In order: paused
 * (mode, kill switch, auto-pause) → per-player daily cap → cooldown → budget → shadow → fired.
 * Caps use the event time (a replay decides the same); the budget uses the wall clock (it limits
 * what leaves the system per minute).
 *
 * <p>The budget is global per campaign; each CRM task enforces its share (max / tasks, rounded up),
 * which needs no coordination because the fields grouping spreads players evenly over tasks. When a
 * task's share is spent the campaign pauses itself: {@link BudgetListener} is told once, publishes
 * the pause for every task, and the campaign stays paused until resumed.
 *
 * <p>Single-threaded (the executor thread).
 */
public final class CampaignGuard {
    /** Told when a campaign spends its budget and pauses itself. */
    public interface BudgetListener {
        void exceeded(CampaignDef campaign, String reason);
    }

    private final int tasks;
    private final LongSupplier clockMillis;
    private final Supplier<CampaignControl> control;
    private final BudgetListener budgetListener;
    private final Map<String, long[]> windows = new HashMap<>(); // campaign -> {window start, count}
    private final Set<String> pausedHere = new HashSet<>();

    public CampaignGuard(int tasks, LongSupplier clockMillis, Supplier<CampaignControl> control,
                         BudgetListener budgetListener) {
        this.tasks = Math.max(1, tasks);
        this.clockMillis = clockMillis;
        this.control = control;
        this.budgetListener = budgetListener;
    }

    /** A decision and, when suppressed, why in words. */
    public record Verdict(Outcome outcome, String reason) {
    }

    public Verdict decide(CampaignDef campaign, PlayerCampaigns player, long eventTimeMs) {
        if (campaign.mode() == CampaignMode.PAUSED) {
            return new Verdict(Outcome.PAUSED, "mode: paused in " + campaign.file());
        }
        String pause = control.get().pauseReason(campaign.id());
        if (pause == null && pausedHere.contains(campaign.id())) {
            pause = "budget: spent, pausing";
        }
        if (pause != null) {
            return new Verdict(Outcome.PAUSED, pause);
        }
        boolean shadow = campaign.mode() == CampaignMode.SHADOW;
        String key = shadow ? "shadow:" + campaign.id() : campaign.id();
        CampaignCaps caps = campaign.caps();
        PlayerCampaigns.Entry e = player.get(key);
        if (caps.perPlayerPerDay() > 0 && e != null && e.day() == Math.floorDiv(eventTimeMs, 86_400_000L)
                && e.countOnDay() >= caps.perPlayerPerDay()) {
            return new Verdict(Outcome.CAP_PER_DAY, "already " + e.countOnDay() + " offer(s) today (cap "
                    + caps.perPlayerPerDay() + " per player per day)");
        }
        if (caps.cooldown() != null && e != null && eventTimeMs - e.lastMs() < caps.cooldown().toMillis()) {
            return new Verdict(Outcome.COOLDOWN, "last offer " + (eventTimeMs - e.lastMs()) / 1000 + " s ago (cooldown "
                    + caps.cooldown() + ")");
        }
        if (!shadow && caps.hasBudget()) {
            int share = (caps.budgetMax() + tasks - 1) / tasks;
            long window = caps.budgetWindow().toMillis();
            long now = clockMillis.getAsLong();
            long[] w = windows.computeIfAbsent(campaign.id(), k -> new long[] {now - now % window, 0});
            if (now - w[0] >= window) {
                w[0] = now - now % window;
                w[1] = 0;
            }
            if (w[1] >= share) {
                String reason = "more than " + caps.budgetMax() + " offers per " + caps.budgetWindow().toSeconds()
                        + " s (this task's share: " + share + ")";
                if (pausedHere.add(campaign.id())) {
                    budgetListener.exceeded(campaign, reason);
                }
                return new Verdict(Outcome.BUDGET, reason);
            }
            w[1]++;
        }
        player.record(key, eventTimeMs);
        return shadow ? new Verdict(Outcome.SHADOW, "shadow mode: would have fired") : new Verdict(Outcome.FIRED, null);
    }

    /**
     * Takes a new control snapshot into account: a budget pause this task published is now carried
     * by the snapshot; a budget pause that was lifted (crm campaign resume) starts a fresh window.
     */
    public void onControl(CampaignControl previous, CampaignControl next) {
        pausedHere.removeIf(id -> next.budgeted().containsKey(id));
        for (String id : previous.budgeted().keySet()) {
            if (!next.budgeted().containsKey(id)) {
                windows.remove(id);
            }
        }
    }
}
