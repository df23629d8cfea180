package io.gamecrm.validation;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.everit.json.schema.FormatValidator;
import org.everit.json.schema.internal.DateTimeFormatValidator;

/**
 * RFC 3339 timestamps of events. Almost every event carries the canonical UTC form
 * ({@code 2026-05-01T12:00:00Z}, optionally with a fraction); java.time's parsers take a few
 * microseconds for it, which is a tenth of the per-event budget. This reads that one form by hand
 * and leaves every other text (offsets, lower-case letters, out-of-range fields, anything odd) to
 * java.time, so it never accepts what java.time would refuse.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * The instant of an RFC 3339 date-time, as {@link OffsetDateTime#parse} reads it.
     *
     * @throws DateTimeParseException as that does
     */
    public static Instant parse(String text) {
        Instant fast = canonicalUtc(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /**
     * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range (year 1 to
     * 9999, no leap second), else null.
     */
    static Instant canonicalUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int k = fraction; k < 9; k++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // 31 April, 29 February of a common year: java.time words the refusal
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The number written by count ASCII digits at from, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The schemas' {@code "format": "date-time"}: the canonical UTC form by hand, every other text
     * by the JSON Schema library's own validator, with its messages.
     */
    static final class DateTimeFormat implements FormatValidator {
        private final DateTimeFormatValidator library = new DateTimeFormatValidator();

        @Override
        public Optional<String> validate(String subject) {
            return canonicalUtc(subject) != null ? Optional.empty() : library.validate(subject);
        }

        @Override
        public String formatName() {
            return library.formatName();
        }
    }
}
