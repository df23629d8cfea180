package io.gamecrm.gateway.ingest;

import io.gamecrm.gateway.GatewayNames;
import java.util.Locale;
import java.util.Optional;

/** How a request body holds its events: one JSON object or an array of them, or one object per line. */
public enum BodyFormat {
    JSON,
    NDJSON;

    /** The format of a Content-Type header (parameters such as charset ignored); empty when unsupported. */
    public static Optional<BodyFormat> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        if (type.equals(GatewayNames.JSON)) {
            return Optional.of(JSON);
        }
        if (type.equals(GatewayNames.NDJSON) || type.equals("application/jsonl") || type.equals("application/x-jsonlines")) {
            return Optional.of(NDJSON);
        }
        return Optional.empty();
    }
}
