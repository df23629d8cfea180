package io.gamecrm.profile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.gamecrm.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    /**
     * Creates what is missing: the keyspace, the tables, and the columns a table of an older version
     * lacks (ALTER TABLE … ADD), so a keyspace made by an earlier release keeps working.
     */
    public static void apply(CqlSession session, String keyspace, String replication) {
        Duration ddlTimeout = Duration.ofSeconds(30);
        session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = " + replication).setTimeout(ddlTimeout));
        for (String stmt : statements(keyspace)) {
            session.execute(SimpleStatement.newInstance(stmt).setTimeout(ddlTimeout));
            Matcher m = TABLE_OF.matcher(stmt);
            if (!m.find()) {
                continue;
            }
            String table = m.group(2);
            Set<String> existing = new HashSet<>();
            session.execute(SimpleStatement.newInstance("SELECT column_name FROM system_schema.columns "
                    + "WHERE keyspace_name = ? AND table_name = ?", keyspace, table)).forEach(r -> existing.add(r.getString(0)));
            for (String[] column : columns(stmt)) {
                if (!existing.contains(column[0])) {
                    session.execute(SimpleStatement.newInstance("ALTER TABLE " + keyspace + "." + table + " ADD "
                            + column[0] + " " + column[1]).setTimeout(ddlTimeout));
                }
            }
        }
    }

    private static final Pattern TABLE_OF = Pattern.compile("(?i)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+([a-z_][a-z0-9_]*)\\.([a-z_][a-z0-9_]*)");
    private static final Pattern COLUMN = Pattern.compile("^\\s*([a-z_][a-z0-9_]*)\\s+([a-z<>, ]+?)(\\s+PRIMARY\\s+KEY)?\\s*,?\\s*$",
            Pattern.CASE_INSENSITIVE);

    /** The column definitions (name, type) of a CREATE TABLE statement, one per line as in crm.cql. */
    static List<String[]> columns(String createTable) {
        List<String[]> out = new ArrayList<>();
        for (String line : createTable.split("\n")) {
            if (line.strip().toUpperCase(Locale.ROOT).startsWith("PRIMARY KEY") || line.contains("(")) {
                continue;
            }
            Matcher m = COLUMN.matcher(line);
            if (m.matches()) {
                out.add(new String[] {m.group(1), m.group(2).strip()});
            }
        }
        return out;
    }
}
