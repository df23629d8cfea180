package io.gamecrm.bench;

import java.util.List;
import java.util.Locale;

/**
 * Draws the end-to-end results as an SVG: latency (p50 solid, p99 dashed; log scale) against the
 * offered rate, one colour per topology, with each topology's capacity as a vertical line.
 */
public final class Chart {
    private static final int W = 900;
    private static final int H = 520;
    private static final int L = 80;
    private static final int R = 30;
    private static final int T = 70;
    private static final int B = 70;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c"};

    private Chart() {
    }

    public static String svg(String title, String subtitle, List<EndToEnd.Result> results) {
        double maxX = 1;
        double minY = 0.5;
        double maxY = 10;
        for (EndToEnd.Result r : results) {
            maxX = Math.max(maxX, r.capacityPerSec() * 1.08);
            for (EndToEnd.RateResult x : r.rates()) {
                maxX = Math.max(maxX, x.offeredPerSec() * 1.08);
                maxY = Math.max(maxY, x.p99Ms() * 1.5);
                minY = Math.min(minY, Math.max(0.1, x.p50Ms() / 1.5));
            }
        }
        double logMin = Math.log10(minY);
        double logMax = Math.log10(maxY);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n", W, H));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(W / 2, 28, title, "middle", 18, "bold"));
        s.append(text(W / 2, 50, subtitle, "middle", 13, "normal"));
        // axes and grid
        s.append(line(L, H - B, W - R, H - B, "#333", false)).append(line(L, T, L, H - B, "#333", false));
        for (int i = 0; i <= 5; i++) {
            double v = maxX * i / 5;
            double x = L + (W - L - R) * i / 5.0;
            s.append(line(x, H - B, x, T, "#eee", false));
            s.append(text(x, H - B + 20, String.format(Locale.ROOT, "%,.0f", v), "middle", 12, "normal"));
        }
        for (double d = Math.pow(10, Math.floor(logMin)); d <= maxY; d *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                double v = d * m;
                if (v < minY || v > maxY) {
                    continue;
                }
                double y = y(v, logMin, logMax);
                s.append(line(L, y, W - R, y, "#eee", false));
                s.append(text(L - 8, y + 4, (v < 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v)),
                        "end", 12, "normal"));
            }
        }
        s.append(text(W / 2, H - 25, "offered rate (events/s)", "middle", 13, "normal"));
        s.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\" transform=\"rotate(-90 20 %d)\" text-anchor=\"middle\">"
                + "latency event → output (ms, log)</text>%n", (T + H - B) / 2, (T + H - B) / 2));
        // series
        int legendY = T + 10;
        for (int k = 0; k < results.size(); k++) {
            EndToEnd.Result r = results.get(k);
            String c = COLORS[k % COLORS.length];
            double cx = x(r.capacityPerSec(), maxX);
            s.append(line(cx, T, cx, H - B, c, true));
            s.append(text(cx + 4, T + 14 + 16 * k, String.format(Locale.ROOT, "%s capacity %,.0f/s", r.topology(),
                    r.capacityPerSec()), "start", 12, "normal").replace("<text ", "<text fill=\"" + c + "\" "));
            s.append(polyline(r.rates(), maxX, logMin, logMax, true, c));
            s.append(polyline(r.rates(), maxX, logMin, logMax, false, c));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    W - R - 210, legendY, W - R - 180, legendY, c));
            s.append(text(W - R - 172, legendY + 4, r.topology() + " p50 (solid), p99 (dashed)", "start", 12, "normal"));
            legendY += 20;
        }
        return s.append("</svg>\n").toString();
    }

    private static String polyline(List<EndToEnd.RateResult> rates, double maxX, double logMin, double logMax, boolean p50,
                                   String color) {
        StringBuilder pts = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (EndToEnd.RateResult r : rates) {
            double v = Math.max(Math.pow(10, logMin), p50 ? r.p50Ms() : r.p99Ms());
            double x = x(r.offeredPerSec(), maxX);
            double y = y(v, logMin, logMax);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n", x, y, color));
        }
        return String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
                pts.toString().trim(), color, p50 ? "" : " stroke-dasharray=\"7,5\"") + dots;
    }

    private static double x(double v, double maxX) {
        return L + (W - L - R) * v / maxX;
    }

    private static double y(double v, double logMin, double logMax) {
        return H - B - (H - B - T) * (Math.log10(v) - logMin) / (logMax - logMin);
    }

    private static String line(double x1, double y1, double x2, double y2, String color, boolean dashed) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                x1, y1, x2, y2, color, dashed ? " stroke-dasharray=\"4,4\"" : "");
    }

    private static String text(double x, double y, String t, String anchor, int size, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
                x, y, anchor, size, weight, t.replace("&", "&amp;").replace("<", "&lt;"));
    }
}
