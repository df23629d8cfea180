package io.gamecrm.crm;

import io.gamecrm.trigger.Triggers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Phase A of a batch: the keyed, idempotent rows (player_events, decisions, daily metrics, outbox,
 * exposures, conversions) of its applied inputs, per player. A replay writes none (they are
 * written), a failed player none (it waits for its replay).
 */
final class KeyedRows {
    private KeyedRows() {
    }

    static <T> Map<String, ProfileStore.PlayerRows> of(List<BatchProcessor.Acked<T>> applied, Predicate<String> failed) {
        Map<String, ProfileStore.PlayerRows> rows = new LinkedHashMap<>();
        for (BatchProcessor.Acked<T> a : applied) {
            CrmEvent e = a.event();
            if (a.result().duplicate() || failed.test(e.playerId())) {
                continue;
            }
            ProfileStore.PlayerRows r = rows.computeIfAbsent(e.playerId(), k -> new ProfileStore.PlayerRows(
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>()));
            r.events().add(new ProfileStore.EventRow(e.playerId(), e.eventTime(), e.eventId(), e.eventType(), e.json()));
            r.decisions().addAll(a.result().decisions());
            r.metrics().addAll(a.result().metrics());
            r.exposures().addAll(a.result().exposures());
            r.conversions().addAll(a.result().conversions());
            for (Triggers.Trigger t : a.result().triggers()) {
                r.triggers().add(new ProfileStore.OutboxRow(e.playerId(), t.id(), e.partition(), e.offset(), t.json()));
            }
        }
        return rows;
    }
}
