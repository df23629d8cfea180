package io.gamecrm.handlers;

import io.gamecrm.Names;
import io.gamecrm.json.Json;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every limit the handler runtime enforces, with its default; each is a property of
 * {@code flux/*.properties} ({@link Names.Props}), documented in flux/reference.properties and
 * handlers-js/SECURITY.md. The topology and the offline runner ({@code crm handlers test}) read the
 * same properties, so a designer's test predicts what production does.
 *
 * @param callBudgetMs      CPU time of one handler call (crm.handlers.budget.ms)
 * @param fileBudgetMs      CPU time of all of one file's handlers on one event (crm.handlers.file.budget.ms)
 * @param eventBudgetMs     CPU time of all handlers of one event (crm.handlers.event.budget.ms)
 * @param loadBudgetMs      CPU time of a file's top level while it loads (crm.handlers.load.budget.ms)
 * @param deadlineMs        wall-clock time after which the watchdog stops a call, also one stuck in a
 *                          built-in (a regular expression, an array native) (crm.handlers.deadline.ms)
 * @param loadDeadlineMs    wall-clock time after which compiling or loading a file is stopped
 *                          (crm.handlers.load.deadline.ms)
 * @param memoryBytes       bytes one call may allocate (crm.handlers.memory.mb, in MiB)
 * @param profileBytes      size of a profile as JSON (crm.handlers.profile.max.bytes)
 * @param profileKeys       keys of a profile, and of any object value (crm.handlers.profile.max.keys)
 * @param keyLength         characters of a profile key (crm.handlers.profile.key.max.length)
 * @param valueDepth        nesting of a profile value or offer params (crm.handlers.profile.value.max.depth)
 * @param paramsBytes       size of an offer's params as JSON (crm.handlers.params.max.bytes)
 * @param fileBytes         size of a handler file (crm.handlers.file.max.bytes)
 * @param stringLength      characters of a string a native may work on (crm.handlers.string.max.length)
 * @param arrayLength       length of an array a native may loop over (crm.handlers.array.max.length)
 * @param logLines          crm.log lines kept per call (crm.handlers.log.lines)
 * @param requestsPerCall   ctx.trigger calls per campaign call (crm.handlers.requests.per.call)
 */
public record HandlerLimits(long callBudgetMs, long fileBudgetMs, long eventBudgetMs, long loadBudgetMs,
                            long deadlineMs, long loadDeadlineMs, long memoryBytes, int profileBytes, int profileKeys,
                            int keyLength, int valueDepth, int paramsBytes, int fileBytes, int stringLength,
                            int arrayLength, int logLines, int requestsPerCall) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final HandlerLimits DEFAULTS = new HandlerLimits(20, 50, 100, 1000, 1000, 5000, 64L << 20, 65536,
            256, 64, 8, 4096, 262144, 1_000_000, 1_000_000, 10, 16);

    /** Characters of one crm.log line. */
    public static final int LOG_LINE_CHARS = 500;
    /** Handlers, campaigns, event types of one handler, write patterns of one handler: at most. */
    public static final int MAX_HANDLERS_PER_FILE = 64;
    public static final int MAX_CAMPAIGNS_PER_FILE = 32;
    public static final int MAX_EVENT_TYPES = 32;
    public static final int MAX_WRITES = 64;
    /** Arguments of one Function.prototype.apply. */
    public static final int MAX_APPLY_ARGS = 65536;

    public HandlerLimits {
        if (callBudgetMs < 1 || fileBudgetMs < callBudgetMs || eventBudgetMs < fileBudgetMs || loadBudgetMs < 1) {
            throw new IllegalArgumentException("handler budgets must be positive, with call <= file <= event: " + this);
        }
        if (deadlineMs < callBudgetMs || loadDeadlineMs < loadBudgetMs) {
            throw new IllegalArgumentException("handler deadlines must be at least their budgets: " + this);
        }
        if (memoryBytes < (1 << 20) || profileBytes < 256 || profileKeys < 8 || keyLength < 8 || valueDepth < 1
                || paramsBytes < 64 || fileBytes < 1024 || stringLength < 1024 || arrayLength < 1024 || logLines < 0
                || requestsPerCall < 1) {
            throw new IllegalArgumentException("handler limits out of range: " + this);
        }
    }

    /** The limits given in properties (crm.handlers.*), each missing one at its default. */
    public static HandlerLimits fromProperties(Properties p) {
        HandlerLimits d = DEFAULTS;
        return new HandlerLimits(
                longOf(p, Names.Props.HANDLERS_BUDGET_MS, d.callBudgetMs),
                longOf(p, Names.Props.HANDLERS_FILE_BUDGET_MS, d.fileBudgetMs),
                longOf(p, Names.Props.HANDLERS_EVENT_BUDGET_MS, d.eventBudgetMs),
                longOf(p, Names.Props.HANDLERS_LOAD_BUDGET_MS, d.loadBudgetMs),
                longOf(p, Names.Props.HANDLERS_DEADLINE_MS, d.deadlineMs),
                longOf(p, Names.Props.HANDLERS_LOAD_DEADLINE_MS, d.loadDeadlineMs),
                longOf(p, Names.Props.HANDLERS_MEMORY_MB, d.memoryBytes >> 20) << 20,
                (int) longOf(p, Names.Props.HANDLERS_PROFILE_MAX_BYTES, d.profileBytes),
                (int) longOf(p, Names.Props.HANDLERS_PROFILE_MAX_KEYS, d.profileKeys),
                (int) longOf(p, Names.Props.HANDLERS_KEY_MAX_LENGTH, d.keyLength),
                (int) longOf(p, Names.Props.HANDLERS_VALUE_MAX_DEPTH, d.valueDepth),
                (int) longOf(p, Names.Props.HANDLERS_PARAMS_MAX_BYTES, d.paramsBytes),
                (int) longOf(p, Names.Props.HANDLERS_FILE_MAX_BYTES, d.fileBytes),
                (int) longOf(p, Names.Props.HANDLERS_STRING_MAX_LENGTH, d.stringLength),
                (int) longOf(p, Names.Props.HANDLERS_ARRAY_MAX_LENGTH, d.arrayLength),
                (int) longOf(p, Names.Props.HANDLERS_LOG_LINES, d.logLines),
                (int) longOf(p, Names.Props.HANDLERS_REQUESTS_PER_CALL, d.requestsPerCall));
    }

    /** A whole-number property, or the fallback when it is missing or blank. */
    static long longOf(Properties p, String key, long fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
    }

    /** The limits the script runtime enforces itself, as its configure() takes them. */
    String scriptJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profileBytes", profileBytes);
        m.put("profileKeys", profileKeys);
        m.put("keyLength", keyLength);
        m.put("valueDepth", valueDepth);
        m.put("paramsBytes", paramsBytes);
        m.put("stringLength", stringLength);
        m.put("arrayLength", arrayLength);
        m.put("applyArgs", MAX_APPLY_ARGS);
        m.put("requestsPerCall", requestsPerCall);
        m.put("logLines", logLines);
        m.put("logChars", LOG_LINE_CHARS);
        m.put("handlers", MAX_HANDLERS_PER_FILE);
        m.put("campaigns", MAX_CAMPAIGNS_PER_FILE);
        m.put("eventTypes", MAX_EVENT_TYPES);
        m.put("writes", MAX_WRITES);
        return Json.write(m);
    }

    /** The same limits with other time budgets (tests, warm-up). */
    public HandlerLimits withBudgets(long callMs, long fileMs, long eventMs) {
        return new HandlerLimits(callMs, fileMs, eventMs, loadBudgetMs, Math.max(deadlineMs, callMs), loadDeadlineMs,
                memoryBytes, profileBytes, profileKeys, keyLength, valueDepth, paramsBytes, fileBytes, stringLength,
                arrayLength, logLines, requestsPerCall);
    }

    /** The same limits with other deadlines (tests of the watchdog). */
    public HandlerLimits withDeadlines(long callMs, long loadMs) {
        return new HandlerLimits(callBudgetMs, fileBudgetMs, eventBudgetMs, loadBudgetMs, callMs, loadMs, memoryBytes,
                profileBytes, profileKeys, keyLength, valueDepth, paramsBytes, fileBytes, stringLength, arrayLength,
                logLines, requestsPerCall);
    }
}
