package io.gamecrm.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches a growing log file for a marker text written after a given offset (e.g. the size the file had
 * before a server was started), reading only what is new on each call. If the file shrinks (rolled over)
 * it starts again from the beginning.
 */
final class LogScanner {

    private final Path file;
    private final String marker;
    private long position;
    private String carry = "";
    private boolean found;

    LogScanner(Path file, long startOffset, String marker) {
        this.file = file;
        this.position = startOffset;
        this.marker = marker;
    }

    /** A scanner that ignores everything the file holds now. */
    static LogScanner fromEnd(Path file, String marker) {
        try {
            return new LogScanner(file, Files.isRegularFile(file) ? Files.size(file) : 0, marker);
        } catch (IOException e) {
            return new LogScanner(file, 0, marker);
        }
    }

    /** True once the marker has appeared after the start offset. */
    synchronized boolean found() {
        if (found || !Files.isRegularFile(file)) {
            return found;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length < position) {
                position = 0;
                carry = "";
            }
            if (length == position) {
                return false;
            }
            byte[] bytes = new byte[(int) Math.min(length - position, 8 * 1024 * 1024)];
            raf.seek(position);
            raf.readFully(bytes);
            position += bytes.length;
            String text = carry + new String(bytes, StandardCharsets.ISO_8859_1);
            found = text.contains(marker);
            int keep = Math.min(text.length(), marker.length() - 1);
            carry = text.substring(text.length() - keep);
            return found;
        } catch (IOException e) {
            return false;
        }
    }
}
