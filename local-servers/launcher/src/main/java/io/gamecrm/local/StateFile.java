package io.gamecrm.local;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's state file {@code <base>/stack.properties}: for each server started from this base dir, its
 * pid, client port, start time and owner (the pid of the JVM whose exit stops it, or none when detached).
 * Keys are {@code <server>.pid}, {@code <server>.port}, {@code <server>.started-at},
 * {@code <server>.owner-pid}. Written atomically; malformed entries are ignored.
 */
final class StateFile {

    private static final Logger log = LoggerFactory.getLogger(StateFile.class);

    /** One running (or once running) server. */
    record Entry(Server server, long pid, int port, Instant startedAt, OptionalLong ownerPid) {
        boolean detached() {
            return ownerPid.isEmpty();
        }
    }

    private StateFile() {
    }

    static Map<Server, Entry> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new EnumMap<>(Server.class);
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("ignoring unreadable state file {}: {}", file, e.toString());
            return new EnumMap<>(Server.class);
        }
        return fromProperties(props);
    }

    /** Writes the entries; deletes the file when there are none. */
    static void write(Path file, Map<Server, Entry> entries) {
        try {
            if (entries.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "stack", ".tmp");
            Files.writeString(tmp, toText(entries), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Map<Server, Entry> fromProperties(Properties props) {
        Map<Server, Entry> entries = new EnumMap<>(Server.class);
        for (Server s : Server.values()) {
            String prefix = s.key() + ".";
            String pid = props.getProperty(prefix + "pid");
            if (pid == null) {
                continue;
            }
            try {
                String owner = props.getProperty(prefix + "owner-pid", "").trim();
                entries.put(s, new Entry(s, Long.parseLong(pid.trim()),
                        Integer.parseInt(props.getProperty(prefix + "port", "").trim()),
                        Instant.parse(props.getProperty(prefix + "started-at", "").trim()),
                        owner.isEmpty() || owner.equals("detached") ? OptionalLong.empty()
                                : OptionalLong.of(Long.parseLong(owner))));
            } catch (NumberFormatException | DateTimeParseException e) {
                log.warn("ignoring malformed {} entry in the state file: {}", s.displayName(), e.toString());
            }
        }
        return entries;
    }

    static Properties toProperties(Map<Server, Entry> entries) {
        Properties props = new Properties();
        for (Entry e : entries.values()) {
            String prefix = e.server().key() + ".";
            props.setProperty(prefix + "pid", Long.toString(e.pid()));
            props.setProperty(prefix + "port", Integer.toString(e.port()));
            props.setProperty(prefix + "started-at", e.startedAt().toString());
            props.setProperty(prefix + "owner-pid",
                    e.ownerPid().isPresent() ? Long.toString(e.ownerPid().getAsLong()) : "detached");
        }
        return props;
    }

    private static String toText(Map<Server, Entry> entries) {
        StringWriter w = new StringWriter();
        w.write("# Local servers started from this directory (io.gamecrm.local.LocalStack). Do not edit.\n");
        // sorted, no timestamp comment: stable and readable
        new TreeMap<>(toProperties(entries)).forEach((k, v) -> w.write(k + "=" + v + "\n"));
        return w.toString();
    }
}
