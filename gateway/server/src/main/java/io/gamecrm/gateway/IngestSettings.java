package io.gamecrm.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.gamecrm.gateway.ingest.Limits;

/**
 * The {@code ingest:} section of the gateway's configuration (every value has a default).
 *
 * @param maxBodySize       one request's body (default 1 MiB; 413 above)
 * @param maxEvents         events in one batch (default 500; 413 above)
 * @param maxEventSize      one event (default 64 KiB, the topology's crm.event.max.bytes)
 * @param maxInFlightEvents events sent and not yet acknowledged, over all requests (default 20,000; 429 above)
 * @param retryAfter        the Retry-After of a 429 or 503 (default 1 s)
 * @param dedupWindow       how long an acknowledged event id is remembered (default 10 min)
 * @param dedupMaxEvents    at most this many of them (default 500,000, about 100 MB)
 * @param responseThreads   threads that answer requests once Kafka acknowledged (default 2)
 */
public record IngestSettings(@JsonProperty("maxBodySize") DataSize maxBodySize, @JsonProperty("maxEvents") Integer maxEvents,
                             @JsonProperty("maxEventSize") DataSize maxEventSize,
                             @JsonProperty("maxInFlightEvents") Integer maxInFlightEvents,
                             @JsonProperty("retryAfter") Duration retryAfter, @JsonProperty("dedupWindow") Duration dedupWindow,
                             @JsonProperty("dedupMaxEvents") Long dedupMaxEvents,
                             @JsonProperty("responseThreads") Integer responseThreads) {
    public IngestSettings {
        maxBodySize = maxBodySize != null ? maxBodySize : DataSize.mebibytes(1);
        maxEvents = maxEvents != null ? maxEvents : 500;
        maxEventSize = maxEventSize != null ? maxEventSize : DataSize.kibibytes(64);
        maxInFlightEvents = maxInFlightEvents != null ? maxInFlightEvents : 20_000;
        retryAfter = retryAfter != null ? retryAfter : Duration.seconds(1);
        dedupWindow = dedupWindow != null ? dedupWindow : Duration.minutes(10);
        dedupMaxEvents = dedupMaxEvents != null ? dedupMaxEvents : 500_000L;
        responseThreads = responseThreads != null ? responseThreads : 2;
        if (maxBodySize.toBytes() > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("ingest.maxBodySize is too large: " + maxBodySize);
        }
        if (maxInFlightEvents < maxEvents) {
            throw new IllegalArgumentException("ingest.maxInFlightEvents (" + maxInFlightEvents
                    + ") must hold at least one full batch (ingest.maxEvents " + maxEvents + ")");
        }
        if (retryAfter.toSeconds() < 1 || dedupMaxEvents < 0 || responseThreads < 1) {
            throw new IllegalArgumentException("ingest.retryAfter must be at least 1s, ingest.dedupMaxEvents >= 0, "
                    + "ingest.responseThreads >= 1");
        }
        new Limits((int) maxBodySize.toBytes(), maxEvents, (int) maxEventSize.toBytes()); // validates them
    }

    public static IngestSettings defaults() {
        return new IngestSettings(null, null, null, null, null, null, null, null);
    }

    public Limits limits() {
        return new Limits((int) maxBodySize.toBytes(), maxEvents, (int) maxEventSize.toBytes());
    }
}
