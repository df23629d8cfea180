package io.gamecrm.profile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.gamecrm.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies schemas/cql/crm.cql: creates the keyspace if missing, then every table of the file,
 * qualified with the keyspace. Every statement is IF NOT EXISTS, so applying twice is harmless.
 */
public final class CqlSchema {
    public static final String RESOURCE = "schemas/cql/crm.cql";
    private static final Pattern TABLE = Pattern.compile("(?i)(CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+)([a-z_][a-z0-9_]*)\\b");

    private CqlSchema() {
    }

    /** The statements of the CQL file, each qualified with the keyspace. */
    public static List<String> statements(String keyspace) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Json.resource(RESOURCE).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String stmt = current.toString().strip();
                stmt = stmt.substring(0, stmt.length() - 1);
                Matcher m = TABLE.matcher(stmt);
                out.add(m.find() ? m.replaceFirst("$1" + keyspace + ".$2") : stmt);
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException(RESOURCE + " ends without ';'");
        }
        return out;
    }

    public static void apply(CqlSession session, String keyspace, String replication) {
        Duration ddlTimeout = Duration.ofSeconds(30);
        session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = " + replication).setTimeout(ddlTimeout));
        for (String stmt : statements(keyspace)) {
            session.execute(SimpleStatement.newInstance(stmt).setTimeout(ddlTimeout));
        }
    }
}
