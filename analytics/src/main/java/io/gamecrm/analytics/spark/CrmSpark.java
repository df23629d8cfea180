package io.gamecrm.analytics.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark session on the CRM's Cassandra tables: the DataStax connector's catalog ({@value #CATALOG})
 * and its extensions (pushdown of filters on keys), UTC, and the tables as views ({@link CrmTables}).
 */
public final class CrmSpark {
    /** The connector's catalog: {@code cassandra.<keyspace>.<table>}. */
    public static final String CATALOG = "cassandra";
    private static final Logger log = LoggerFactory.getLogger(CrmSpark.class);

    private CrmSpark() {
    }

    /** Opens (or joins, in this JVM) the session and registers the views. */
    public static SparkSession open(SparkSettings s, String appName) {
        SparkSession.Builder b = SparkSession.builder()
                .appName(appName)
                .master(s.master())
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.extensions", "com.datastax.spark.connector.CassandraSparkExtensions")
                .config("spark.sql.catalog." + CATALOG, "com.datastax.spark.connector.datasource.CassandraCatalog")
                .config("spark.cassandra.connection.host", s.cassandraHost())
                .config("spark.cassandra.connection.port", Integer.toString(s.cassandraPort()))
                .config("spark.cassandra.connection.localDC", s.datacenter());
        if (s.onCluster() && !s.applicationJars().isEmpty()) {
            b.config("spark.jars", String.join(",", s.applicationJars()));
        }
        for (Map.Entry<String, String> e : s.sparkConf().entrySet()) {
            b.config(e.getKey(), e.getValue());
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        spark.udf().register(TimeUuidTime.NAME, new TimeUuidTime(), DataTypes.TimestampType);
        log.info("Spark {} session on {} (Cassandra {}:{}, keyspace {})", spark.version(), s.master(),
                s.cassandraHost(), s.cassandraPort(), s.keyspace());
        return spark;
    }

    /** The connector catalog's name of a table of the keyspace. */
    public static String table(String keyspace, String table) {
        return CATALOG + "." + keyspace + "." + table;
    }
}
