package io.gamecrm.cli.traffic;

import io.gamecrm.campaign.Exposure;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * What the generator's players did about the offer, counted as the uplift counts them: players
 * exposed, in the group of their first exposure, and those of them who bought in a window.
 */
public final class ResponseTally {
    private final Map<Integer, Exposure.Group> groupOf = new HashMap<>();
    private final Map<Integer, Boolean> convertedPlayers = new HashMap<>();
    private final EnumMap<Exposure.Group, Long> exposed = new EnumMap<>(Exposure.Group.class);
    private final EnumMap<Exposure.Group, Long> converted = new EnumMap<>(Exposure.Group.class);

    synchronized void exposed(int player, Exposure.Group group) {
        if (groupOf.putIfAbsent(player, group) == null) {
            exposed.merge(group, 1L, Long::sum);
        }
    }

    synchronized void converted(int player) {
        Exposure.Group group = groupOf.get(player);
        if (group != null && convertedPlayers.putIfAbsent(player, true) == null) {
            converted.merge(group, 1L, Long::sum);
        }
    }

    /** Players first exposed in this group. */
    public synchronized long exposed(Exposure.Group group) {
        return exposed.getOrDefault(group, 0L);
    }

    /** Of those, the players who bought in a window. */
    public synchronized long converted(Exposure.Group group) {
        return converted.getOrDefault(group, 0L);
    }

    /** converted / exposed of a group, NaN when nobody was exposed in it. */
    public synchronized double rate(Exposure.Group group) {
        long n = exposed(group);
        return n == 0 ? Double.NaN : (double) converted(group) / n;
    }

    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder();
        for (Exposure.Group g : Exposure.Group.values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(g.label()).append(' ').append(converted(g)).append('/').append(exposed(g));
        }
        return b.toString();
    }
}
