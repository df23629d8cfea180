package io.gamecrm.analytics.questions;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistics of a campaign's uplift, in plain Java: conversion rates of the exposed players
 * of each group and the difference between the treated group and a held-out one.
 *
 * <p>The interval is the <b>Wald interval for a difference of two independent proportions</b>
 * (normal approximation): {@code (p_t - p_h) ± 1.96 · sqrt(p_t(1-p_t)/n_t + p_h(1-p_h)/n_h)}. It is
 * fine for large groups and rates away from 0 and 1; when a group has fewer than
 * {@value #MIN_OUTCOMES} converted or fewer than {@value #MIN_OUTCOMES} unconverted players, the
 * comparison carries a note saying the interval is not to be trusted (the usual rule of thumb for the
 * normal approximation). Nothing here returns NaN or an infinity: what cannot be computed is null,
 * with a note saying why.
 */
public final class UpliftStats {
    /** The two-sided 95% quantile of the standard normal distribution. */
    public static final double Z95 = 1.959963984540054;
    /** Converted and unconverted players a group needs, each, for the normal approximation. */
    public static final int MIN_OUTCOMES = 5;

    private UpliftStats() {
    }

    /**
     * One group's exposed players and what they did.
     *
     * @param name      treated, holdout or holdout_global
     * @param exposed   players exposed (fired, or held out) in the range
     * @param converted of them, players who converted
     * @param accepted  of them, players with a conversion attributed by {@code offer_accepted}
     * @param value     the sum of the conversion values of the group's conversions (0 when the rule has none)
     */
    public record Group(String name, long exposed, long converted, long accepted, double value) {
        public Group {
            if (exposed < 0 || converted < 0 || accepted < 0) {
                throw new IllegalArgumentException("negative count in group " + name);
            }
            if (converted > exposed || accepted > converted) {
                throw new IllegalArgumentException("group " + name + ": accepted (" + accepted + ") <= converted ("
                        + converted + ") <= exposed (" + exposed + ") does not hold");
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("group " + name + ": the conversion value is " + value);
            }
        }

        /** No player exposed. */
        public static Group empty(String name) {
            return new Group(name, 0, 0, 0, 0.0);
        }

        /** converted / exposed, or null when nobody was exposed. */
        public Double rate() {
            return exposed == 0 ? null : (double) converted / exposed;
        }

        /** accepted / exposed, or null when nobody was exposed. */
        public Double acceptRate() {
            return exposed == 0 ? null : (double) accepted / exposed;
        }

        /** value / exposed, or null when nobody was exposed. */
        public Double valuePerExposed() {
            return exposed == 0 ? null : value / exposed;
        }

        boolean smallForWald() {
            return converted < MIN_OUTCOMES || exposed - converted < MIN_OUTCOMES;
        }
    }

    /**
     * The treated group against one held-out group. Fields that cannot be computed are null and
     * {@link #notes()} says why.
     *
     * @param uplift   absolute uplift: treated rate minus control rate (a fraction: 0.1 is 10 points)
     * @param low      the interval's lower bound (95%, Wald)
     * @param high     its upper bound
     * @param relative uplift / control rate (0.5 is +50%); null when no control player converted
     * @param notes    why a figure is missing or not to be trusted; empty when all is well
     */
    public record Comparison(Group treated, Group control, Double uplift, Double low, Double high, Double relative,
                             List<String> notes) {
        public Comparison {
            notes = List.copyOf(notes);
        }

        /** True when the interval exists and excludes 0. */
        public boolean significant() {
            return low != null && (low > 0 || high < 0);
        }

        /** The notes in one line, or null when there are none. */
        public String note() {
            return notes.isEmpty() ? null : String.join("; ", notes);
        }
    }

    /** Compares the treated group with a held-out group. */
    public static Comparison compare(Group treated, Group control) {
        List<String> notes = new ArrayList<>();
        if (treated.exposed() == 0 || control.exposed() == 0) {
            if (control.exposed() == 0) {
                notes.add("no " + control.name() + " players in the range, so no uplift"
                        + (control.name().equals("holdout") ? " (does the campaign declare a holdout?)" : ""));
            }
            if (treated.exposed() == 0) {
                notes.add("no " + treated.name() + " players in the range, so no uplift");
            }
            return new Comparison(treated, control, null, null, null, null, notes);
        }
        double pt = treated.rate();
        double pc = control.rate();
        double uplift = pt - pc;
        double se = Math.sqrt(pt * (1 - pt) / treated.exposed() + pc * (1 - pc) / control.exposed());
        Double low = null;
        Double high = null;
        if (se > 0) {
            low = uplift - Z95 * se;
            high = uplift + Z95 * se;
        } else {
            notes.add("no interval: in both groups every player converted or none did, so the Wald interval "
                    + "has no width to estimate");
        }
        Double relative = null;
        if (control.converted() > 0) {
            relative = uplift / pc;
        } else {
            notes.add("no relative uplift: no " + control.name() + " player converted");
        }
        if (treated.smallForWald() || control.smallForWald()) {
            notes.add("small groups: a group has fewer than " + MIN_OUTCOMES + " converted or unconverted players, "
                    + "the normal approximation behind the interval is not to be trusted");
        }
        return new Comparison(treated, control, uplift, low, high, relative, notes);
    }
}
