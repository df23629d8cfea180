package io.gamecrm.handlers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One handler file: its name (e.g. {@code fight-streak.js}), its JavaScript source and its version,
 * the first 12 hex digits of the SHA-256 of the source. Every trigger carries the version of the
 * file whose handler decided it.
 */
public record HandlerFile(String name, String source, String version) {

    public static HandlerFile of(String name, String source) {
        return new HandlerFile(name, source, versionOf(source));
    }

    public static String versionOf(String source) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
