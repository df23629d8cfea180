package io.gamecrm.analytics.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gamecrm.analytics.questions.Analyst;
import io.gamecrm.analytics.questions.Answer;
import io.gamecrm.analytics.questions.Formats;
import io.gamecrm.analytics.questions.Questions;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's job server: one Spark session kept warm, the tables cached in memory and refreshed on
 * a schedule, answering the questions over HTTP with JSON (the JDK's HTTP server: a handful of
 * GET routes need no framework).
 *
 * <pre>
 * GET  /health                                   status, when the cache was filled
 * GET  /sql?q=SELECT...&amp;limit=1000
 * GET  /lost-streak?min=3&amp;day=2026-11-26&amp;compare=true
 * GET  /offers?from=2026-11-20&amp;to=2026-11-26
 * GET  /funnel?steps=login,fight,purchase&amp;from=...&amp;to=...
 * GET  /top?metric=wins&amp;limit=10
 * POST /refresh                                  reload and re-cache the tables now
 * </pre>
 *
 * An answer is {@code {"question", "answer", "millis", "columns", "rows", "truncated"}}; a bad
 * request is a 400 with {@code {"error": "..."}}. Queries run in parallel; a refresh waits for
 * them and holds new ones until the cache is filled again.
 */
public final class WarmSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WarmSession.class);
    private static final int DEFAULT_LIMIT = 1000;

    private final Analyst analyst;
    private final String keyspace;
    private final boolean cache;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService refresher;
    private volatile Instant refreshedAt;
    private volatile long refreshMillis;

    /**
     * Fills the cache, then listens.
     *
     * @param refresh how often the tables are re-read (zero: never)
     * @param cache   whether the tables are cached in memory (the point of a warm session)
     */
    public WarmSession(Analyst analyst, String keyspace, String host, int port, Duration refresh, boolean cache)
            throws IOException {
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("--refresh must not be negative, got " + refresh);
        }
        this.analyst = analyst;
        this.keyspace = keyspace;
        this.cache = cache;
        refresh();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "analytics-http");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "analytics-refresh");
            t.setDaemon(true);
            return t;
        });
        if (!refresh.isZero()) {
            refresher.scheduleWithFixedDelay(this::refreshQuietly, refresh.toMillis(), refresh.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        log.info("analytics warm session listening on http://{}:{}/ (refresh every {})", host, port(), refresh);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Re-reads (and re-caches) every table; queries wait meanwhile. */
    public void refresh() {
        lock.writeLock().lock();
        try {
            long start = System.nanoTime();
            analyst.refresh(keyspace, cache);
            refreshMillis = (System.nanoTime() - start) / 1_000_000;
            refreshedAt = Instant.now();
            log.info("tables of {} {} in {} ms", keyspace, cache ? "cached" : "registered", refreshMillis);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.error("scheduled refresh failed; the previous views stay", e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            Object body;
            int status = 200;
            try {
                body = route(ex.getRequestMethod(), path, q);
                if (body == null) {
                    status = 404;
                    body = Map.of("error", "no such resource: " + path
                            + " (try /health, /sql, /lost-streak, /offers, /funnel, /top, POST /refresh)");
                }
            } catch (MethodNotAllowed e) {
                status = 405;
                body = Map.of("error", e.getMessage());
            } catch (IllegalArgumentException e) {
                status = 400;
                body = Map.of("error", e.getMessage());
            } catch (RuntimeException e) {
                log.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
                status = 500;
                body = Map.of("error", e.toString());
            }
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Object route(String method, String path, Map<String, String> q) {
        if (path.equals("/refresh")) {
            requireMethod(method, "POST");
            refresh();
            return health();
        }
        if (path.equals("/health") || path.equals("/")) {
            requireMethod(method, "GET");
            return health();
        }
        requireMethod(method, "GET");
        lock.readLock().lock();
        try {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            Answer a = switch (path) {
                case "/sql" -> analyst.sql(required(q, "q"), intParam(q, "limit", DEFAULT_LIMIT));
                case "/lost-streak" -> analyst.lostStreak(date(q, "day", today), intParam(q, "min", 3),
                        intParam(q, "limit", DEFAULT_LIMIT), Boolean.parseBoolean(q.getOrDefault("compare", "false")));
                case "/offers" -> analyst.offers(date(q, "from", date(q, "to", today).minusDays(6)), date(q, "to", today),
                        intParam(q, "limit", DEFAULT_LIMIT));
                case "/funnel" -> analyst.funnel(Questions.steps(required(q, "steps")),
                        date(q, "from", date(q, "to", today).minusDays(6)), date(q, "to", today));
                case "/top" -> analyst.top(required(q, "metric"), intParam(q, "limit", 10));
                default -> null;
            };
            if (a == null) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("question", a.question());
            out.put("answer", a.sentence());
            out.put("millis", a.millis());
            out.putAll(Formats.json(a.table()));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("keyspace", keyspace);
        out.put("cached", cache);
        out.put("refreshed_at", refreshedAt == null ? null : refreshedAt.toString());
        out.put("refresh_millis", refreshMillis);
        out.put("spark", analyst.spark().version());
        out.put("master", analyst.spark().sparkContext().master());
        return out;
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String message) {
            super(message);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new MethodNotAllowed("use " + expected + ", not " + method);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String required(Map<String, String> q, String key) {
        String v = q.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("parameter '" + key + "' is required");
        }
        return v;
    }

    private static int intParam(Map<String, String> q, String key, int fallback) {
        String v = q.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + key + "' must be a whole number, got '" + v + "'");
        }
    }

    private static LocalDate date(Map<String, String> q, String key, LocalDate fallback) {
        String v = q.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("parameter '" + key + "' must be a date like 2026-11-26, got '" + v + "'");
        }
    }

    @Override
    public void close() {
        server.stop(1);
        refresher.shutdownNow();
        workers.shutdownNow();
    }
}
