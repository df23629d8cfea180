package io.gamecrm.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.analytics.SparkOptions;
import io.gamecrm.analytics.backtest.Backtest;
import io.gamecrm.analytics.backtest.HandlerRuntime;
import io.gamecrm.analytics.cluster.SparkStandalone;
import io.gamecrm.analytics.history.GameHistory;
import io.gamecrm.analytics.questions.Analyst;
import io.gamecrm.analytics.questions.ResultTable;
import io.gamecrm.analytics.spark.CrmSpark;
import io.gamecrm.analytics.spark.CrmTables;
import io.gamecrm.analytics.spark.SparkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same questions on a real Spark standalone cluster: a master and a worker as child JVMs from
 * the Spark distribution's Maven jars, the worker's executor running our code from the jars the
 * driver ships (spark.jars), reading the real local Cassandra. The answers must be the ones
 * Spark local gives.
 */
class SparkStandaloneIT {
    static final LocalDate FIRST_DAY = LocalDate.parse("2026-10-05");

    static SparkStandalone cluster;
    static String keyspace;
    static CqlSession cql;

    @BeforeAll
    static void start() throws Exception {
        keyspace = ItSpark.keyspace("standalone");
        cql = TopologyHistory.cql(ItSpark.contactPoint(), ItSpark.datacenter());
        TopologyHistory.write(cql, ItSpark.contactPointText(), ItSpark.datacenter(), keyspace,
                ItSpark.repo().resolve("handlers-js"), GameHistory.generate(11, 25, FIRST_DAY, 3));
        List<String> jvm = Files.readAllLines(ItSpark.repo().resolve("analytics/spark-java17.args")).stream()
                .map(String::trim).filter(l -> !l.isEmpty()).toList();
        cluster = SparkStandalone.start(new SparkStandalone.Settings(Path.of("target/spark-standalone"), 37077, 37080,
                37078, 37081, 2, "2g", Duration.ofSeconds(90)), jvm);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        ItSpark.dropKeyspace(cql, keyspace);
    }

    record Answers(ResultTable streaks, ResultTable offers, ResultTable backtest, long backtestEvents, int executors) {
    }

    static Answers ask(SparkSettings settings) throws Exception {
        SparkSession spark = CrmSpark.open(settings, "SparkStandaloneIT");
        try {
            CrmTables.registerAll(spark, keyspace);
            Analyst analyst = new Analyst(spark);
            ResultTable streaks = analyst.lostStreak(FIRST_DAY.plusDays(1), 3, 10_000, true).table();
            ResultTable offers = analyst.offers(FIRST_DAY, FIRST_DAY.plusDays(2), 1000).table();
            Backtest.Result r = new Backtest(spark).run(new Backtest.Request(
                    HandlerRuntime.Source.read(ItSpark.repo().resolve("handlers-js")), FIRST_DAY, FIRST_DAY.plusDays(2),
                    null, 2));
            return new Answers(streaks, offers, ResultTable.collect(r.perDay(), 1000), r.events(),
                    spark.sparkContext().getExecutorMemoryStatus().size());
        } finally {
            spark.stop();
        }
    }

    @Test
    void theSameQuestionsGiveTheSameAnswersOnTheClusterAsLocally() throws Exception {
        Answers local = ask(ItSpark.settings("local[2]", keyspace, 37150, List.of()));
        List<String> jars = new ArrayList<>(SparkOptions.applicationJars());
        SparkSettings onCluster = ItSpark.settings(cluster.masterUrl(), keyspace, 37160, jars);
        java.util.Map<String, String> conf = new java.util.HashMap<>(onCluster.sparkConf());
        conf.put("spark.executor.memory", "1g");
        conf.put("spark.executor.cores", "2");
        conf.put("spark.cores.max", "2");
        Answers remote = ask(new SparkSettings(onCluster.master(), onCluster.cassandraHost(), onCluster.cassandraPort(),
                onCluster.datacenter(), keyspace, jars, conf));

        assertThat(local.streaks().rows()).isNotEmpty();
        assertThat(remote.streaks()).isEqualTo(local.streaks());
        assertThat(remote.offers()).isEqualTo(local.offers());
        assertThat(remote.backtest()).isEqualTo(local.backtest());
        assertThat(remote.backtestEvents()).isEqualTo(local.backtestEvents()).isPositive();
        assertThat(remote.executors()).as("block managers: the driver's and the worker's executor").isEqualTo(2);
        try (Stream<Path> logs = Files.walk(cluster.workDir())) {
            assertThat(logs.filter(p -> p.getFileName().toString().equals("stderr")).count())
                    .as("executor logs in the worker's work dir").isPositive();
        }
    }
}
