package io.gamecrm.bench;

import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.validation.SchemaCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dispatch cost of one fight event with 10, 100 or 1,000 extra handlers loaded besides the
 * shipped ones, 50 to a file (each file runs in a script global of its own). {@code otherTypes}: the extra handlers listen to other event types (the usual
 * case: dispatch is indexed by type, so the cost should not move). {@code sameType}: they all
 * listen to fights too (each one runs: the cost grows with their number, showing the cost of one
 * handler call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class HandlerScalingBenchmark {
    @Param({"10", "100", "1000"})
    public int handlers;

    @Param({"otherTypes", "sameType"})
    public String listening;

    private HandlerSet set;
    private String fight;
    private final String profile = "{\"fights\":40,\"lost_streak\":1}";

    @Setup
    public void setUp() {
        List<HandlerFile> files = new ArrayList<>(HandlerDirectory.read(BenchData.repo().resolve("handlers-js")));
        // 50 handlers a file (a file may hold 64), each file writing keys of its own
        for (int f = 0; f * 50 < handlers; f++) {
            StringBuilder extra = new StringBuilder();
            for (int h = f * 50; h < Math.min(handlers, (f + 1) * 50); h++) {
                String type = "sameType".equals(listening) ? "fight" : "quest_" + (h % 50);
                extra.append("crm.handler({name: 'extra-").append(h).append("', on: ['").append(type)
                     .append("'], writes: ['seen_").append(f).append("_*'], update: function (event, profile) {")
                     .append(" profile.incr('seen_").append(f).append('_').append(h % 7).append("'); }});\n");
            }
            files.add(HandlerFile.of(String.format("zz-extra-%03d.js", f), extra.toString()));
        }
        HandlerSet.Compilation c = HandlerSet.compile(files);
        if (!c.problems().isEmpty()) {
            throw new IllegalStateException(c.problems().toString());
        }
        set = c.set();
        set.warmUp(SchemaCatalog.fromClasspath().validExamples());
        fight = BenchData.events(200).stream().filter(e -> e.type().equals("fight")).findFirst().orElseThrow().json();
    }

    @Benchmark
    public Object dispatchOneFight() {
        return set.process("fight", 0, fight, profile);
    }
}
