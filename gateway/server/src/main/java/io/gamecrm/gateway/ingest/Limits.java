package io.gamecrm.gateway.ingest;

/**
 * What one request may hold.
 *
 * @param maxBodyBytes  the body (413 above)
 * @param maxEvents     events in one batch (413 above)
 * @param maxEventBytes one event (rejected as event_too_large above; 413 for a single-event request)
 */
public record Limits(int maxBodyBytes, int maxEvents, int maxEventBytes) {
    public Limits {
        if (maxBodyBytes < 1 || maxEvents < 1 || maxEventBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: body " + maxBodyBytes + ", events " + maxEvents
                    + ", event " + maxEventBytes);
        }
        if (maxEventBytes > maxBodyBytes) {
            throw new IllegalArgumentException("an event (" + maxEventBytes + " bytes) cannot be larger than a body ("
                    + maxBodyBytes + " bytes)");
        }
    }
}
