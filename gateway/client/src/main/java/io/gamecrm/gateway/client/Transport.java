package io.gamecrm.gateway.client;

import java.io.IOException;
import java.util.List;

/** Sends one request of events to the gateway; {@link HttpTransport} in production. */
public interface Transport extends AutoCloseable {
    GatewayResponse post(List<byte[]> events) throws IOException, InterruptedException;

    @Override
    default void close() {
    }
}
