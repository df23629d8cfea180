package io.gamecrm.analytics.questions;

import io.gamecrm.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How an answer is printed: an aligned table for people, CSV (RFC 4180) or JSON for scripts. */
public enum Formats {
    TABLE, CSV, JSON;

    private static final int MAX_CELL = 60;

    public String render(ResultTable t) {
        return switch (this) {
            case TABLE -> table(t);
            case CSV -> csv(t);
            case JSON -> Json.write(json(t)) + System.lineSeparator();
        };
    }

    /** The JSON document of an answer: {@code {"columns": [...], "rows": [{...}], "truncated": false}}. */
    public static Map<String, Object> json(ResultTable t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("columns", t.columns());
        m.put("rows", t.records());
        m.put("truncated", t.truncated());
        return m;
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return Json.write(v);
        }
        return v.toString();
    }

    private static String table(ResultTable t) {
        int n = t.columns().size();
        int[] width = new int[n];
        List<String[]> lines = new ArrayList<>();
        String[] head = t.columns().toArray(new String[0]);
        lines.add(head);
        for (List<Object> r : t.rows()) {
            String[] line = new String[n];
            for (int c = 0; c < n; c++) {
                String s = cell(r.get(c)).replace('\n', ' ');
                line[c] = s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
            }
            lines.add(line);
        }
        for (String[] line : lines) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String[] line = lines.get(i);
            for (int c = 0; c < n; c++) {
                boolean number = i > 0 && t.rows().get(i - 1).get(c) instanceof Number;
                String s = line[c];
                String pad = " ".repeat(width[c] - s.length());
                sb.append(c == 0 ? "" : "  ").append(number ? pad + s : s + (c == n - 1 ? "" : pad));
            }
            sb.append(System.lineSeparator());
            if (i == 0) {
                for (int c = 0; c < n; c++) {
                    sb.append(c == 0 ? "" : "  ").append("-".repeat(Math.max(1, width[c])));
                }
                sb.append(System.lineSeparator());
            }
        }
        sb.append("(").append(t.rows().size()).append(t.rows().size() == 1 ? " row" : " rows")
                .append(t.truncated() ? " shown, there are more" : "").append(")").append(System.lineSeparator());
        return sb.toString();
    }

    private static String csv(ResultTable t) {
        StringBuilder sb = new StringBuilder();
        sb.append(csvLine(new ArrayList<>(t.columns())));
        for (List<Object> r : t.rows()) {
            sb.append(csvLine(r));
        }
        return sb.toString();
    }

    private static String csvLine(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String s = cell(values.get(i));
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            sb.append(i == 0 ? "" : ",").append(s);
        }
        return sb.append("\r\n").toString();
    }
}
