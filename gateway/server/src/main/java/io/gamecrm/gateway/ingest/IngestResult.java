package io.gamecrm.gateway.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The answer to a request whose events were parsed: one result per event, and the HTTP status:
 * 503 when any event must be sent again (Kafka slow or down), else 202 when any event is on the
 * topic, else 400 (every event rejected; 413 for a single event above the size limit).
 */
public record IngestResult(int accepted, int rejected, int retry, List<ItemResult> results) {
    public static IngestResult of(List<ItemResult> results) {
        int a = 0;
        int r = 0;
        int t = 0;
        for (ItemResult x : results) {
            switch (x.status()) {
                case ItemResult.ACCEPTED -> a++;
                case ItemResult.REJECTED -> r++;
                default -> t++;
            }
        }
        return new IngestResult(a, r, t, List.copyOf(results));
    }

    /** The same answer listing only the events that were not accepted (their index tells which). */
    public IngestResult failedOnly() {
        return new IngestResult(accepted, rejected, retry,
                results.stream().filter(r -> !ItemResult.ACCEPTED.equals(r.status())).toList());
    }

    @JsonIgnore
    public int status() {
        if (retry > 0) {
            return 503;
        }
        if (accepted > 0) {
            return 202;
        }
        boolean singleTooLarge = results.size() == 1
                && RejectReason.EVENT_TOO_LARGE.code().equals(results.get(0).reason());
        return singleTooLarge ? 413 : 400;
    }
}
