package io.gamecrm.gateway.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway over HTTP/1.1 with the JDK's client. A batch goes as NDJSON (one event per line),
 * or as a JSON array when an event spans lines; a single event as a JSON object.
 */
public final class HttpTransport implements Transport {
    /** The header and path of the gateway (the server's GatewayNames). */
    public static final String API_KEY_HEADER = "X-Api-Key";
    public static final String EVENTS_PATH = "/v1/events";
    /** Only the events not accepted are listed in the answer (the rest were): smaller answers for batches. */
    public static final String FAILED_ONLY = "?results=failed";

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;

    /** @param baseUri e.g. http://127.0.0.1:18080 (the path is added) */
    public HttpTransport(URI baseUri, String apiKey, Duration timeout) {
        String base = baseUri.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + EVENTS_PATH
                + FAILED_ONLY);
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public GatewayResponse post(List<byte[]> events) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(events), HttpResponse.BodyHandlers.ofByteArray());
        return response(r);
    }

    /** The same request, asynchronously (for load generators). */
    public CompletableFuture<GatewayResponse> postAsync(List<byte[]> events) {
        return http.sendAsync(request(events), HttpResponse.BodyHandlers.ofByteArray()).thenApply(HttpTransport::response);
    }

    private HttpRequest request(List<byte[]> events) {
        String type;
        byte[] body;
        if (events.size() == 1) {
            type = "application/json";
            body = events.get(0);
        } else if (events.stream().noneMatch(HttpTransport::hasNewline)) {
            type = "application/x-ndjson";
            body = join(events, (byte) '\n', null, null);
        } else {
            type = "application/json";
            body = join(events, (byte) ',', (byte) '[', (byte) ']');
        }
        return HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", type)
                .header(API_KEY_HEADER, apiKey).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static GatewayResponse response(HttpResponse<byte[]> r) {
        long retryAfter = r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return 1L;
            }
        }).orElse(0L);
        return GatewayResponse.parse(r.statusCode(), retryAfter, r.body());
    }

    private static boolean hasNewline(byte[] b) {
        for (byte x : b) {
            if (x == '\n') {
                return true;
            }
        }
        return false;
    }

    private static byte[] join(List<byte[]> parts, byte sep, Byte open, Byte close) {
        int n = parts.size() - 1 + (open != null ? 2 : 0);
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        if (open != null) {
            out[at++] = open;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out[at++] = sep;
            }
            byte[] p = parts.get(i);
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        if (close != null) {
            out[at] = close;
        }
        return out;
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}
