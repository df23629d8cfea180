package io.gamecrm.analytics.spark;

import java.sql.Timestamp;
import java.util.UUID;
import org.apache.spark.sql.api.java.UDF1;

/**
 * SQL function {@code timeuuid_time(uuid)}: the time inside a version-1 UUID (the connector reads
 * a {@code timeuuid} as a string). campaign_decisions.decided_at carries the cause event's time.
 */
public final class TimeUuidTime implements UDF1<String, Timestamp> {
    public static final String NAME = "timeuuid_time";
    /** 100-ns intervals between 1582-10-15 (UUID epoch) and 1970-01-01. */
    private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;

    @Override
    public Timestamp call(String uuid) {
        if (uuid == null) {
            return null;
        }
        UUID u = UUID.fromString(uuid);
        if (u.version() != 1) {
            return null;
        }
        return new Timestamp(Math.floorDiv(u.timestamp() - UUID_EPOCH_OFFSET, 10_000L));
    }
}
