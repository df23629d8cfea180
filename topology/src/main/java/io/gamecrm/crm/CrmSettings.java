package io.gamecrm.crm;

import io.gamecrm.campaign.Holdout;
import java.io.Serializable;

/**
 * Tuning of a CRM task (crm.batch.*, crm.store.*, crm.cache.*, crm.analytics.*, crm.topic.trigger,
 * crm.holdout.global),
 * from the properties Flux sets on the bolt. Values are checked where they are used: {@link #batch()} by
 * {@link BatchProcessor.Settings}.
 *
 * @param batchMaxEvents   events per write-behind batch at most
 * @param storeTimeoutMs   how long a batch may wait for Cassandra before its inputs are failed for replay
 * @param backoffMaxMs     longest back-off while Cassandra fails
 * @param cacheMaxPlayers  player states cached per task
 * @param analyticsMetrics profile metrics of the daily analytics, comma-separated
 * @param analyticsCap     highest value the daily analytics track
 * @param triggerTopic     the trigger topic, read back when a replayed event's triggers may already
 *                         have been sent; empty: re-emit them without looking
 * @param globalHoldout    the share of each game's players that gets no campaign at all
 *                         (crm.holdout.global), in [0, 0.5]
 */
public record CrmSettings(int batchMaxEvents, long storeTimeoutMs, long backoffMaxMs, long cacheMaxPlayers,
                          String analyticsMetrics, int analyticsCap, String triggerTopic, double globalHoldout)
        implements Serializable {

    public static final CrmSettings DEFAULTS = new CrmSettings(BatchProcessor.Settings.DEFAULTS.maxBatch(),
            BatchProcessor.Settings.DEFAULTS.ioTimeoutMillis(), BatchProcessor.Settings.DEFAULTS.backoffMaxMillis(),
            BatchProcessor.Settings.DEFAULTS.cacheMaxPlayers(), "lost_streak", 20, "", 0);

    /** The shortest back-off, unless the longest is shorter. */
    static final long BACKOFF_MIN_MS = 200;

    public CrmSettings {
        triggerTopic = triggerTopic == null ? "" : triggerTopic;
        Holdout.checkGlobalShare(globalHoldout);
    }

    /** Without a global holdout. */
    public CrmSettings(int batchMaxEvents, long storeTimeoutMs, long backoffMaxMs, long cacheMaxPlayers,
                       String analyticsMetrics, int analyticsCap, String triggerTopic) {
        this(batchMaxEvents, storeTimeoutMs, backoffMaxMs, cacheMaxPlayers, analyticsMetrics, analyticsCap, triggerTopic,
                0);
    }

    /** The write-behind's settings. */
    public BatchProcessor.Settings batch() {
        return new BatchProcessor.Settings(batchMaxEvents, storeTimeoutMs, Math.min(BACKOFF_MIN_MS, backoffMaxMs),
                backoffMaxMs, cacheMaxPlayers);
    }

    public DailyMetrics dailyMetrics() {
        return DailyMetrics.of(analyticsMetrics, analyticsCap);
    }

    /** Inputs waiting for the committer at most (back-pressure beyond). */
    public int commitCapacity() {
        return 4 * batchMaxEvents;
    }

    /** How long a clean shutdown may take to process and write what was handed over. */
    public long closeTimeoutMs() {
        return 2 * storeTimeoutMs + 5000;
    }

    public boolean readsTriggerTopic() {
        return !triggerTopic.isBlank();
    }
}
