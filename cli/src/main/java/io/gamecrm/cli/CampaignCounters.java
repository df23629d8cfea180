package io.gamecrm.cli;

import io.gamecrm.crm.DecisionStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.TreeMap;

/**
 * A campaign's live counters, summed from the {@code campaign.stats} reports the CRM tasks send to
 * the maintenance topic (each report holds what one task counted since its previous one): decisions
 * by outcome, and exposures and conversions by group.
 *
 * @param decisions   outcome (FIRED, HOLDOUT, CAPPED …) → count
 * @param exposures   group (treated, holdout, holdout_global) → exposures
 * @param conversions group → conversions
 * @param reports     the reports that mentioned the campaign
 */
record CampaignCounters(Map<String, Long> decisions, Map<String, Long> exposures, Map<String, Long> conversions,
                        int reports) {
    /** Sums the campaign's counters over the maintenance events given (other events are skipped). */
    static CampaignCounters sum(List<Map<String, Object>> events, String campaign) {
        Map<String, Long> decisions = new TreeMap<>();
        Map<String, Long> exposures = new TreeMap<>();
        Map<String, Long> conversions = new TreeMap<>();
        int reports = 0;
        for (Map<String, Object> e : events) {
            if (!DecisionStats.REPORT.equals(e.get("type")) || !(e.get("details") instanceof Map<?, ?> d)) {
                continue;
            }
            boolean mentioned = false;
            if (d.get("decisions") instanceof Map<?, ?> all && all.get(campaign) instanceof Map<?, ?> byOutcome) {
                mentioned = true;
                byOutcome.forEach((outcome, n) -> add(decisions, String.valueOf(outcome), n));
            }
            if (d.get("measured") instanceof Map<?, ?> all && all.get(campaign) instanceof Map<?, ?> measured) {
                mentioned = true;
                measured.forEach((what, n) -> {
                    String name = String.valueOf(what);
                    int dot = name.indexOf('.');
                    if (dot > 0) {
                        String kind = name.substring(0, dot);
                        String group = name.substring(dot + 1);
                        if (kind.equals("exposures")) {
                            add(exposures, group, n);
                        } else if (kind.equals("conversions")) {
                            add(conversions, group, n);
                        }
                    }
                });
            }
            if (mentioned) {
                reports++;
            }
        }
        return new CampaignCounters(decisions, exposures, conversions, reports);
    }

    private static void add(Map<String, Long> into, String key, Object n) {
        if (n instanceof Number number) {
            into.merge(key, number.longValue(), Long::sum);
        }
    }

    /** The lines {@code crm query campaign} prints. */
    List<String> lines(String campaign) {
        if (reports == 0) {
            return List.of("no campaign.stats report mentions " + campaign + " in that time: no CRM task decided on it"
                    + " (is the topology running, and the campaign declared and live?)");
        }
        List<String> out = new ArrayList<>();
        out.add(campaign + ": " + reports + " report(s) of the CRM tasks");
        out.add("decisions: " + (decisions.isEmpty() ? "none" : decisions));
        if (exposures.isEmpty() && conversions.isEmpty()) {
            out.add("exposures: none (the campaign declares no conversion rule, or nothing fired or was held out)");
            return out;
        }
        out.add(String.format("%-16s %10s %12s %16s", "group", "exposures", "conversions", "conv./exposure"));
        SortedSet<String> groups = new TreeSet<>(exposures.keySet());
        groups.addAll(conversions.keySet());
        for (String g : groups) {
            long x = exposures.getOrDefault(g, 0L);
            long c = conversions.getOrDefault(g, 0L);
            out.add(String.format("%-16s %10d %12d %16s", g, x, c, x == 0 ? "-" : String.format("%.1f%%", 100.0 * c / x)));
        }
        out.add("live counts of exposures, not players; for players, groups and the uplift's interval:"
                + " crm analytics uplift --campaign " + campaign);
        return out;
    }
}
