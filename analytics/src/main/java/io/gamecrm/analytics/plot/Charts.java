package io.gamecrm.analytics.plot;

import io.gamecrm.analytics.questions.ResultTable;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Pictures of answers, drawn by JFreeChart and written as SVG (JFreeSVG) or PNG, chosen by the
 * file's extension.
 */
public final class Charts {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    private Charts() {
    }

    /**
     * A bar chart of {@code valueColumn} by {@code categoryColumn}, one bar colour per value of
     * {@code seriesColumn} (or a single series named {@code valueColumn} when it is null).
     */
    public static JFreeChart bars(String title, String xLabel, String yLabel, ResultTable t, String categoryColumn,
                                  String seriesColumn, String valueColumn) {
        DefaultCategoryDataset data = dataset(t, categoryColumn, seriesColumn, valueColumn, 0.0);
        return styled(ChartFactory.createBarChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                seriesColumn != null, false, false), t.rows().size());
    }

    /**
     * Lines of {@code valueColumn} by {@code categoryColumn} (e.g. days), one line per value of
     * {@code seriesColumn}; a missing value leaves a gap.
     */
    public static JFreeChart lines(String title, String xLabel, String yLabel, ResultTable t, String categoryColumn,
                                   String seriesColumn, String valueColumn) {
        DefaultCategoryDataset data = dataset(t, categoryColumn, seriesColumn, valueColumn, null);
        return white(ChartFactory.createLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false), data.getColumnCount());
    }

    private static DefaultCategoryDataset dataset(ResultTable t, String categoryColumn, String seriesColumn,
                                                  String valueColumn, Double missing) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Object> categories = t.column(categoryColumn);
        List<Object> values = t.column(valueColumn);
        List<Object> series = seriesColumn == null ? null : t.column(seriesColumn);
        for (int i = 0; i < categories.size(); i++) {
            Object v = values.get(i);
            String s = series == null ? valueColumn : String.valueOf(series.get(i));
            Double value = v instanceof Number n ? Double.valueOf(n.doubleValue()) : missing;
            data.addValue(value, s, String.valueOf(categories.get(i)));
        }
        return data;
    }

    /**
     * Bars of several value columns side by side per category (e.g. fired in reality and in a
     * backtest), one series per column, for rows where {@code filterColumn} equals {@code filterValue}
     * (no filter when {@code filterColumn} is null).
     */
    public static JFreeChart compare(String title, String xLabel, String yLabel, ResultTable t, String categoryColumn,
                                     List<String> valueColumns, String filterColumn, Object filterValue) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int categoryIndex = t.columnIndex(categoryColumn);
        int filterIndex = filterColumn == null ? -1 : t.columnIndex(filterColumn);
        int rows = 0;
        for (List<Object> r : t.rows()) {
            if (filterIndex >= 0 && !String.valueOf(r.get(filterIndex)).equals(String.valueOf(filterValue))) {
                continue;
            }
            rows++;
            for (String c : valueColumns) {
                Object v = r.get(t.columnIndex(c));
                data.addValue(v instanceof Number n ? n.doubleValue() : 0, c, String.valueOf(r.get(categoryIndex)));
            }
        }
        return styled(ChartFactory.createBarChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false,
                false), rows);
    }

    private static JFreeChart styled(JFreeChart chart, int categories) {
        BarRenderer renderer = (BarRenderer) white(chart, categories).getCategoryPlot().getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        renderer.setMaximumBarWidth(0.12);
        return chart;
    }

    /** White background, light grid lines, slanted labels when there are many categories. */
    private static JFreeChart white(JFreeChart chart, int categories) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        if (categories > 8) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return chart;
    }

    /** Writes the chart as SVG or PNG, by the file's extension; creates missing folders. */
    public static Path write(JFreeChart chart, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
            SVGUtils.writeToSVG(file.toFile(), g.getSVGElement());
        } else if (name.endsWith(".png")) {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } else {
            throw new IllegalArgumentException("--plot takes a .svg or .png file, got " + file);
        }
        return file;
    }

    /** Checks a --plot file name before any work is done. */
    public static void checkFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".svg") && !name.endsWith(".png")) {
            throw new IllegalArgumentException("--plot takes a .svg or .png file, got " + file);
        }
    }
}
