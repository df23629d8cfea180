package io.gamecrm.handlers;

import io.gamecrm.Names;
import java.io.Serializable;
import java.util.Properties;

/**
 * Where handlers come from and how they are guarded (crm.handlers.* and crm.topic.handlers). Built
 * by Flux and handed to the watcher spout and the CRM bolt through their constructors. The limits
 * and breaker settings are kept as the properties they came from and read by
 * {@link HandlerLimits#fromProperties} and {@link BreakerSettings#fromProperties}: the same code the
 * offline runner uses on the same properties file, so both run with the same limits.
 */
public class HandlerSettings implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String dir;
    private final String topic;
    private final Properties kafka;
    private final Properties guards = new Properties();
    private long scanIntervalMs = 50;
    private long startupTimeoutMs = 60_000;
    private long warmUpDeadlineMs = 10_000;

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

    public long startupTimeoutMs() {
        return startupTimeoutMs;
    }

    public void setStartupTimeoutMs(long startupTimeoutMs) {
        this.startupTimeoutMs = startupTimeoutMs;
    }

    /** How long warming up a new set on the sample events may take in all. */
    public long warmUpDeadlineMs() {
        return warmUpDeadlineMs;
    }

    public void setWarmUpDeadlineMs(long warmUpDeadlineMs) {
        this.warmUpDeadlineMs = warmUpDeadlineMs;
    }

    /** The limits of every handler call, file and event. */
    public HandlerLimits limits() {
        return HandlerLimits.fromProperties(guards);
    }

    public BreakerSettings breaker() {
        return BreakerSettings.fromProperties(guards);
    }

    /** The limit and breaker properties as given (crm.handlers.*). */
    public Properties guardProperties() {
        Properties p = new Properties();
        p.putAll(guards);
        return p;
    }

    private void set(String key, long value) {
        guards.setProperty(key, Long.toString(value));
    }

    public void setBudgetMs(long v) {
        set(Names.Props.HANDLERS_BUDGET_MS, v);
    }

    public void setFileBudgetMs(long v) {
        set(Names.Props.HANDLERS_FILE_BUDGET_MS, v);
    }

    public void setEventBudgetMs(long v) {
        set(Names.Props.HANDLERS_EVENT_BUDGET_MS, v);
    }

    public void setLoadBudgetMs(long v) {
        set(Names.Props.HANDLERS_LOAD_BUDGET_MS, v);
    }

    public void setDeadlineMs(long v) {
        set(Names.Props.HANDLERS_DEADLINE_MS, v);
    }

    public void setLoadDeadlineMs(long v) {
        set(Names.Props.HANDLERS_LOAD_DEADLINE_MS, v);
    }

    public void setMemoryMb(long v) {
        set(Names.Props.HANDLERS_MEMORY_MB, v);
    }

    public void setProfileMaxBytes(long v) {
        set(Names.Props.HANDLERS_PROFILE_MAX_BYTES, v);
    }

    public void setProfileMaxKeys(long v) {
        set(Names.Props.HANDLERS_PROFILE_MAX_KEYS, v);
    }

    public void setProfileKeyMaxLength(long v) {
        set(Names.Props.HANDLERS_KEY_MAX_LENGTH, v);
    }

    public void setProfileValueMaxDepth(long v) {
        set(Names.Props.HANDLERS_VALUE_MAX_DEPTH, v);
    }

    public void setParamsMaxBytes(long v) {
        set(Names.Props.HANDLERS_PARAMS_MAX_BYTES, v);
    }

    public void setFileMaxBytes(long v) {
        set(Names.Props.HANDLERS_FILE_MAX_BYTES, v);
    }

    public void setStringMaxLength(long v) {
        set(Names.Props.HANDLERS_STRING_MAX_LENGTH, v);
    }

    public void setArrayMaxLength(long v) {
        set(Names.Props.HANDLERS_ARRAY_MAX_LENGTH, v);
    }

    public void setLogLines(long v) {
        set(Names.Props.HANDLERS_LOG_LINES, v);
    }

    public void setRequestsPerCall(long v) {
        set(Names.Props.HANDLERS_REQUESTS_PER_CALL, v);
    }

    public void setBreakerFailures(long v) {
        set(Names.Props.HANDLERS_BREAKER_FAILURES, v);
    }

    public void setBreakerTimeouts(long v) {
        set(Names.Props.HANDLERS_BREAKER_TIMEOUTS, v);
    }

    public void setBreakerCooldownMs(long v) {
        set(Names.Props.HANDLERS_BREAKER_COOLDOWN_MS, v);
    }
}
