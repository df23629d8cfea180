package io.gamecrm.handlers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The profile keys a file may write, as its update handlers declare them in {@code writes}: exact
 * keys, or prefixes ending in {@code *} ({@code 'quest_*'}). A key is written by one file only, so
 * the declarations of two files must not overlap.
 */
public record WritePatterns(Set<String> exact, List<String> prefixes) {
    public static final WritePatterns NONE = new WritePatterns(Set.of(), List.of());

    public static WritePatterns of(List<String> patterns) {
        Set<String> exact = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String p : patterns) {
            if (p.endsWith("*")) {
                prefixes.add(p.substring(0, p.length() - 1));
            } else {
                exact.add(p);
            }
        }
        return new WritePatterns(Set.copyOf(exact), List.copyOf(prefixes));
    }

    public WritePatterns plus(WritePatterns other) {
        Set<String> e = new HashSet<>(exact);
        e.addAll(other.exact);
        List<String> p = new ArrayList<>(prefixes);
        p.addAll(other.prefixes);
        return new WritePatterns(Set.copyOf(e), List.copyOf(p));
    }

    public boolean allows(String key) {
        if (exact.contains(key)) {
            return true;
        }
        for (String p : prefixes) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** A key or prefix both declare, or null when they do not overlap. */
    public String overlap(WritePatterns other) {
        for (String k : exact) {
            if (other.allows(k)) {
                return k;
            }
        }
        for (String k : other.exact) {
            if (allows(k)) {
                return k;
            }
        }
        for (String p : prefixes) {
            for (String q : other.prefixes) {
                if (p.startsWith(q) || q.startsWith(p)) {
                    return (p.length() >= q.length() ? p : q) + "*";
                }
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }
}
