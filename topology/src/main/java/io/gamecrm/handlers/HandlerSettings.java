package io.gamecrm.handlers;

import java.io.Serializable;
import java.util.Properties;

/**
 * Where handlers come from and how they are guarded (crm.handlers.* and crm.topic.handlers). Built
 * by Flux and handed to the watcher spout and the CRM bolt through their constructors.
 */
public class HandlerSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String topic;
    private final Properties kafka;
    private long scanIntervalMs = 50;
    private long budgetMs = BreakerSettings.DEFAULTS.budgetMillis();
    private int breakerFailures = BreakerSettings.DEFAULTS.maxFailuresInARow();
    private int breakerTimeouts = BreakerSettings.DEFAULTS.maxTimeouts();
    private long breakerTimeoutWindowMs = BreakerSettings.DEFAULTS.timeoutWindowMillis();
    private long breakerCooldownMs = BreakerSettings.DEFAULTS.cooldownMillis();
    private long loadBudgetMs = HandlerSet.DEFAULT_LOAD_BUDGET_MS;
    private long startupTimeoutMs = 60_000;

    /**
     * @param dir   the watched folder of handler files (crm.handlers.dir)
     * @param topic the compacted topic that carries them to every task (crm.topic.handlers)
     * @param kafka Kafka client properties (bootstrap servers, security)
     */
    public HandlerSettings(String dir, String topic, Properties kafka) {
        if (dir == null || dir.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("handlers: dir and topic must be set");
        }
        this.dir = dir;
        this.topic = topic;
        this.kafka = new Properties();
        this.kafka.putAll(kafka);
    }

    public String dir() {
        return dir;
    }

    public String topic() {
        return topic;
    }

    public Properties kafka() {
        Properties p = new Properties();
        p.putAll(kafka);
        return p;
    }

    public long scanIntervalMs() {
        return scanIntervalMs;
    }

    public void setScanIntervalMs(long scanIntervalMs) {
        this.scanIntervalMs = scanIntervalMs;
    }

    public void setBudgetMs(long budgetMs) {
        this.budgetMs = budgetMs;
    }

    public void setBreakerFailures(int breakerFailures) {
        this.breakerFailures = breakerFailures;
    }

    public void setBreakerTimeouts(int breakerTimeouts) {
        this.breakerTimeouts = breakerTimeouts;
    }

    public void setBreakerTimeoutWindowMs(long breakerTimeoutWindowMs) {
        this.breakerTimeoutWindowMs = breakerTimeoutWindowMs;
    }

    public void setBreakerCooldownMs(long breakerCooldownMs) {
        this.breakerCooldownMs = breakerCooldownMs;
    }

    public long loadBudgetMs() {
        return loadBudgetMs;
    }

    public void setLoadBudgetMs(long loadBudgetMs) {
        this.loadBudgetMs = loadBudgetMs;
    }

    public long startupTimeoutMs() {
        return startupTimeoutMs;
    }

    public void setStartupTimeoutMs(long startupTimeoutMs) {
        this.startupTimeoutMs = startupTimeoutMs;
    }

    public BreakerSettings breaker() {
        return new BreakerSettings(budgetMs, breakerFailures, breakerTimeouts, breakerTimeoutWindowMs, breakerCooldownMs);
    }
}
