package io.gamecrm.gateway.ingest;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.gamecrm.gateway.GatewayNames.Metrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The gateway's Dropwizard metrics (names in {@code GatewayNames.Metrics}), registered once. */
public final class IngestMetrics {
    private final MetricRegistry registry;
    private final Timer requests;
    private final Meter accepted;
    private final Meter duplicate;
    private final Meter retry;
    private final Timer kafkaAck;
    private final Map<RejectReason, Meter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<RequestError, Meter> refused = new EnumMap<>(RequestError.class);
    private final Map<Integer, Meter> responses = new ConcurrentHashMap<>();

    public IngestMetrics(MetricRegistry registry, InFlight inFlight) {
        this.registry = registry;
        this.requests = registry.timer(Metrics.REQUESTS);
        this.accepted = registry.meter(Metrics.EVENTS_ACCEPTED);
        this.duplicate = registry.meter(Metrics.EVENTS_DUPLICATE);
        this.retry = registry.meter(Metrics.EVENTS_RETRY);
        this.kafkaAck = registry.timer(Metrics.KAFKA_ACK);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, registry.meter(Metrics.EVENTS_REJECTED + "." + r.code()));
        }
        for (RequestError e : RequestError.values()) {
            refused.put(e, registry.meter(Metrics.REQUESTS_REFUSED + "." + e.code()));
        }
        registry.gauge(Metrics.IN_FLIGHT, () -> (Gauge<Integer>) inFlight::inFlight);
    }

    public MetricRegistry registry() {
        return registry;
    }

    void accepted(boolean wasDuplicate) {
        accepted.mark();
        if (wasDuplicate) {
            duplicate.mark();
        }
    }

    void retry() {
        retry.mark();
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).mark();
    }

    public void refused(RequestError error) {
        refused.get(error).mark();
    }

    void kafkaAck(long nanos) {
        kafkaAck.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** One answered request: its status and how long it took. */
    public void response(int status, long nanos) {
        requests.update(nanos, TimeUnit.NANOSECONDS);
        responses.computeIfAbsent(status, s -> registry.meter(Metrics.RESPONSES + "." + s)).mark();
    }
}
