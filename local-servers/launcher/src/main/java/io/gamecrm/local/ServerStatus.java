package io.gamecrm.local;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link LocalStack#status(StackConfig)} found for one server.
 *
 * @param server    the server
 * @param running   true if the recorded process is alive and answers on its port
 * @param pid       the recorded pid (empty when nothing is recorded)
 * @param address   host:port clients use
 * @param startedAt when it was started (empty when nothing is recorded)
 * @param ownerPid  the JVM whose exit stops it; empty when detached or nothing is recorded
 * @param detail    a human-readable explanation, e.g. "not started", "pid 42 is gone (stale entry)"
 */
public record ServerStatus(Server server, boolean running, OptionalLong pid, String address,
                           Optional<Instant> startedAt, OptionalLong ownerPid, String detail) {
}
