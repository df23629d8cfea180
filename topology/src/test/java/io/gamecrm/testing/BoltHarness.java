package io.gamecrm.testing;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.storm.Testing;
import org.apache.storm.task.IBolt;
import org.apache.storm.task.IOutputCollector;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.testing.MkTupleParam;
import org.apache.storm.tuple.Tuple;

/** Runs a bolt without a cluster: real tuples in, every emit, ack and fail recorded. */
public final class BoltHarness implements IOutputCollector {
    /** One emit: the stream, the anchors and the values. */
    public record Emit(String stream, Collection<Tuple> anchors, List<Object> values) {
    }

    // synchronized: a bolt may ack and emit from its own thread (the CRM bolt's committer)
    public final List<Emit> emits = java.util.Collections.synchronizedList(new ArrayList<>());
    public final List<Tuple> acked = java.util.Collections.synchronizedList(new ArrayList<>());
    public final List<Tuple> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    public final TopologyContext context = mock(TopologyContext.class);
    /** The counters the bolt registered, by name. */
    public final Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
    /** The timers the bolt registered, by name. */
    public final Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    public BoltHarness(String componentId, int taskId) {
        when(context.getThisComponentId()).thenReturn(componentId);
        when(context.getThisTaskId()).thenReturn(taskId);
        when(context.registerCounter(anyString()))
                .thenAnswer(i -> counters.computeIfAbsent(i.getArgument(0, String.class), n -> new Counter()));
        when(context.registerTimer(anyString()))
                .thenAnswer(i -> timers.computeIfAbsent(i.getArgument(0, String.class), n -> new Timer()));
    }

    public <B extends IBolt> B prepare(B bolt) {
        bolt.prepare(Map.of(), context, new OutputCollector(this));
        return bolt;
    }

    public static Tuple tuple(String component, String stream, List<String> fields, Object... values) {
        MkTupleParam p = new MkTupleParam();
        p.setComponent(component);
        p.setStream(stream);
        p.setFields(fields.toArray(new String[0]));
        return Testing.testTuple(java.util.Arrays.asList(values), p);
    }

    public List<Emit> emitsOn(String stream) {
        synchronized (emits) {
            return emits.stream().filter(e -> e.stream().equals(stream)).toList();
        }
    }

    @Override
    public List<Integer> emit(String streamId, Collection<Tuple> anchors, List<Object> tuple) {
        emits.add(new Emit(streamId, anchors == null ? List.of() : List.copyOf(anchors), List.copyOf(tuple)));
        return List.of(1);
    }

    @Override
    public void emitDirect(int taskId, String streamId, Collection<Tuple> anchors, List<Object> tuple) {
        emit(streamId, anchors, tuple);
    }

    @Override
    public void ack(Tuple input) {
        acked.add(input);
    }

    @Override
    public void fail(Tuple input) {
        failed.add(input);
    }

    @Override
    public void resetTimeout(Tuple input) {
    }

    @Override
    public void flush() {
    }

    @Override
    public void reportError(Throwable error) {
    }
}
