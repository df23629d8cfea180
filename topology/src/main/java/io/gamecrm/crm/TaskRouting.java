package io.gamecrm.crm;

import java.util.Arrays;

/**
 * Which CRM task owns a player: Storm's fields grouping on {@code player_id}, which picks the task
 * at {@code floorMod(deepHashCode([player_id]), tasks)} among the bolt's tasks in id order. The
 * offline runner uses it to give each simulated task its own players, as the topology does (each
 * task enforces its share of a campaign's budget, and keeps its own breakers).
 */
public final class TaskRouting {
    private TaskRouting() {
    }

    public static int taskIndex(String playerId, int tasks) {
        return Math.floorMod(Arrays.deepHashCode(new Object[] {playerId}), tasks);
    }
}
