package io.gamecrm.gateway.api;

import io.gamecrm.gateway.ingest.RequestError;
import io.gamecrm.gateway.ingest.RequestRefused;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body up to a limit: a declared Content-Length above it is refused before a byte
 * is read, a body that grows past it is refused once it does (413). A body that arrives slower
 * than the connector allows (its idle timeout, {@code minRequestDataPerSecond}) fails the read in
 * Jetty, and is refused as {@link RequestError#SLOW_BODY} (408).
 */
public final class BodyReader {
    private BodyReader() {
    }

    public static byte[] read(InputStream in, String contentLength, int max) {
        long declared = declaredLength(contentLength);
        if (declared > max) {
            throw tooLarge(declared + " bytes declared", max);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (out.size() + n > max) {
                    throw tooLarge("more than " + max + " bytes sent", max);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RequestRefused r) {
                throw r;
            }
            if (slow(e)) {
                throw new RequestRefused(RequestError.SLOW_BODY, "the body arrived too slowly: " + e.getMessage());
            }
            throw new RequestRefused(RequestError.INCOMPLETE_BODY, "the body could not be read: " + e);
        }
        return out.toByteArray();
    }

    private static long declaredLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static RequestRefused tooLarge(String what, int max) {
        return new RequestRefused(RequestError.BODY_TOO_LARGE, "the body is too large (" + what + "), at most " + max
                + " bytes are accepted");
    }

    /** A timeout, or Jetty's 408 for a body below the minimum data rate, anywhere in the cause chain. */
    static boolean slow(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            String name = t.getClass().getSimpleName();
            String msg = String.valueOf(t.getMessage());
            if (name.contains("Timeout") || msg.contains("408") || msg.toLowerCase(java.util.Locale.ROOT).contains("data rate")
                    || msg.toLowerCase(java.util.Locale.ROOT).contains("idle timeout")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
