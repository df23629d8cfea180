package io.gamecrm.analytics.questions;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A question's answer brought to the driver: column names and rows of plain Java values (strings,
 * numbers, booleans, ISO-8601 strings for dates and times, lists, maps), at most {@code limit} rows.
 *
 * @param truncated true when the answer had more rows than were kept
 */
public record ResultTable(List<String> columns, List<List<Object>> rows, boolean truncated) {
    public ResultTable {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + r.size() + " values for " + columns.size() + " columns");
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** Runs the dataset and keeps at most {@code limit} rows. */
    public static ResultTable collect(Dataset<Row> data, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the row limit must be at least 1, got " + limit);
        }
        StructType schema = data.schema();
        List<Row> got = data.limit(limit + 1).collectAsList();
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, got.size()); i++) {
            Row r = got.get(i);
            List<Object> values = new ArrayList<>(schema.size());
            for (int c = 0; c < schema.size(); c++) {
                values.add(plain(r.isNullAt(c) ? null : r.get(c), schema.fields()[c].dataType()));
            }
            rows.add(values);
        }
        List<String> columns = new ArrayList<>();
        for (StructField f : schema.fields()) {
            columns.add(f.name());
        }
        return new ResultTable(columns, rows, got.size() > limit);
    }

    public int columnIndex(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return i;
    }

    /** One column's values. */
    public List<Object> column(String column) {
        int i = columnIndex(column);
        List<Object> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(r.get(i)));
        return out;
    }

    /** The rows as maps column -> value (for JSON). */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                m.put(columns.get(c), r.get(c));
            }
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Object plain(Object v, DataType type) {
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.time.Instant t) {
            return t.toString();
        }
        if (v instanceof Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof java.time.LocalDate d) {
            return d.toString();
        }
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof Row row) {
            StructType st = (StructType) type;
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < st.size(); i++) {
                m.put(st.fields()[i].name(), plain(row.isNullAt(i) ? null : row.get(i), st.fields()[i].dataType()));
            }
            return m;
        }
        if (v instanceof scala.collection.Map<?, ?> map) {
            MapType mt = (MapType) type;
            Map<Object, Object> m = new LinkedHashMap<>();
            scala.collection.JavaConverters.mapAsJavaMap((scala.collection.Map<Object, Object>) map)
                    .forEach((k, x) -> m.put(plain(k, mt.keyType()), plain(x, mt.valueType())));
            return m;
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            ArrayType at = (ArrayType) type;
            List<Object> l = new ArrayList<>();
            scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<Object>) seq)
                    .forEach(x -> l.add(plain(x, at.elementType())));
            return l;
        }
        return v;
    }
}
