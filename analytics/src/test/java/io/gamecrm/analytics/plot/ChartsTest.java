package io.gamecrm.analytics.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.analytics.questions.ResultTable;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.junit.jupiter.api.Test;

class ChartsTest {
    static final ResultTable OFFERS = new ResultTable(List.of("day", "campaign", "fired"), List.of(
            List.of("2026-11-20", "battle-tanks-offer", 12L), List.of("2026-11-21", "battle-tanks-offer", 9L),
            List.of("2026-11-21", "gem-sale", 4L)), false);

    @Test
    void barsHaveOneSeriesPerCampaignAndOneCategoryPerDay() {
        JFreeChart chart = Charts.bars("Offers", "day", "fired", OFFERS, "day", "campaign", "fired");
        var data = chart.getCategoryPlot().getDataset();
        assertThat(data.getRowKeys()).containsExactly("battle-tanks-offer", "gem-sale");
        assertThat(data.getColumnKeys()).containsExactly("2026-11-20", "2026-11-21");
        assertThat(data.getValue("gem-sale", "2026-11-21").intValue()).isEqualTo(4);
        SVGGraphics2D g = new SVGGraphics2D(Charts.WIDTH, Charts.HEIGHT);
        chart.draw(g, new Rectangle(0, 0, Charts.WIDTH, Charts.HEIGHT));
        assertThat(g.getSVGElement()).startsWith("<svg").contains("gem-sale");
    }

    @Test
    void linesHaveOneSeriesPerGroupAndLeaveGapsForMissingValues() {
        ResultTable t = new ResultTable(List.of("day", "exposure_group", "conversion_pct"), List.of(
                java.util.Arrays.asList("2026-11-30", "holdout", null), List.of("2026-11-30", "treated", 10.0),
                List.of("2026-12-01", "holdout", 20.0), List.of("2026-12-01", "treated", 30.0)), false);
        JFreeChart chart = Charts.lines("Cumulative conversion", "day", "%", t, "day", "exposure_group",
                "conversion_pct");
        var data = chart.getCategoryPlot().getDataset();
        assertThat(data.getRowKeys()).containsExactly("holdout", "treated");
        assertThat(data.getValue("holdout", "2026-11-30")).isNull();
        assertThat(data.getValue("treated", "2026-12-01").doubleValue()).isEqualTo(30.0);
        SVGGraphics2D g = new SVGGraphics2D(Charts.WIDTH, Charts.HEIGHT);
        chart.draw(g, new Rectangle(0, 0, Charts.WIDTH, Charts.HEIGHT));
        assertThat(g.getSVGElement()).startsWith("<svg").contains("treated");
    }

    @Test
    void onlySvgAndPng() {
        Charts.checkFileName(Path.of("a/b.SVG"));
        Charts.checkFileName(Path.of("b.png"));
        assertThatThrownBy(() -> Charts.checkFileName(Path.of("b.gif"))).hasMessageContaining(".svg or .png");
    }
}
