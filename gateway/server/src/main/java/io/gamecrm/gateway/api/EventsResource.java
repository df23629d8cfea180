package io.gamecrm.gateway.api;

import io.gamecrm.gateway.GatewayNames;
import io.gamecrm.gateway.ingest.BodyFormat;
import io.gamecrm.gateway.ingest.EventParser;
import io.gamecrm.gateway.ingest.IngestMetrics;
import io.gamecrm.gateway.ingest.IngestResult;
import io.gamecrm.gateway.ingest.Ingestor;
import io.gamecrm.gateway.ingest.Item;
import io.gamecrm.gateway.ingest.RequestError;
import io.gamecrm.gateway.ingest.RequestRefused;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/events}: the thin HTTP adapter. In order: the API key (401), the content type
 * (415), the body within its limit (413, 408), the events ({@link EventParser}: 400, 413), then
 * {@link Ingestor} (429 when full); the response is sent once Kafka acknowledged (202) or the
 * acknowledgement timeout passed (503), off the request thread.
 */
@Path(GatewayNames.EVENTS_PATH)
public final class EventsResource {
    private static final Logger log = LoggerFactory.getLogger(EventsResource.class);

    private final ApiKeys keys;
    private final EventParser parser;
    private final Ingestor ingestor;
    private final IngestMetrics metrics;
    private final long retryAfterSeconds;

    public EventsResource(ApiKeys keys, EventParser parser, Ingestor ingestor, IngestMetrics metrics, long retryAfterSeconds) {
        this.keys = keys;
        this.parser = parser;
        this.ingestor = ingestor;
        this.metrics = metrics;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public void post(@HeaderParam(GatewayNames.API_KEY_HEADER) String apiKey,
                     @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                     @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
                     @QueryParam(GatewayNames.RESULTS_PARAM) String results,
                     InputStream body, @Suspended AsyncResponse async) {
        long start = System.nanoTime();
        try {
            String game = keys.game(apiKey).orElseThrow(() -> apiKey == null || apiKey.isEmpty()
                    ? new RequestRefused(RequestError.MISSING_API_KEY, "no " + GatewayNames.API_KEY_HEADER + " header")
                    : new RequestRefused(RequestError.UNKNOWN_API_KEY, "unknown API key"));
            BodyFormat format = BodyFormat.of(contentType).orElseThrow(() -> new RequestRefused(
                    RequestError.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + contentType + " is not supported: send "
                    + GatewayNames.JSON + " (an event or an array of events) or " + GatewayNames.NDJSON));
            byte[] bytes = BodyReader.read(body, contentLength, parser.limits().maxBodyBytes());
            List<Item> items = parser.parse(bytes, format, game);
            ingestor.ingest(game, items).whenComplete((result, e) -> {
                if (e != null) {
                    log.error("request failed unexpectedly", e);
                    respond(async, start, Response.serverError().build());
                } else {
                    respond(async, start, answer(GatewayNames.RESULTS_FAILED.equals(results) ? result.failedOnly() : result));
                }
            });
        } catch (RequestRefused r) {
            metrics.refused(r.error());
            respond(async, start, refusal(r));
        }
    }

    private Response answer(IngestResult result) {
        Response.ResponseBuilder b = Response.status(result.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(result);
        if (result.status() == 503) {
            b.header(GatewayNames.RETRY_AFTER_HEADER, retryAfterSeconds);
        }
        return b.build();
    }

    private Response refusal(RequestRefused r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", r.error().code());
        body.put("message", r.getMessage());
        Response.ResponseBuilder b = Response.status(r.error().status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        if (r.error().retryable()) {
            b.header(GatewayNames.RETRY_AFTER_HEADER, retryAfterSeconds);
        }
        if (r.error().status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + GatewayNames.API_KEY_HEADER + "\"");
        }
        return b.build();
    }

    private void respond(AsyncResponse async, long start, Response response) {
        metrics.response(response.getStatus(), System.nanoTime() - start);
        async.resume(response);
    }
}
