package org.q4mbridge.bridge.bench;

import java.util.List;
import java.util.Locale;

/**
 * A plain horizontal bar chart as a standalone SVG document: no script, no external fonts, so it
 * renders the same on GitHub and in a browser.
 */
public final class SvgChart {
  private static final int WIDTH = 760;
  private static final int LABEL_WIDTH = 230;
  private static final int VALUE_WIDTH = 110;
  private static final int BAR_HEIGHT = 22;
  private static final int GAP = 8;
  private static final int TOP = 48;

  /**
   * One bar.
   *
   * @param label what the bar stands for
   * @param value its length
   * @param highlight drawn in the accent colour (the pump at default settings)
   */
  public record Bar(String label, double value, boolean highlight) {}

  private SvgChart() {}

  /** Renders {@code bars} scaled to the largest value; values are printed with {@code unit}. */
  public static String bars(String title, String unit, List<Bar> bars) {
    double max = 0;
    for (Bar b : bars) {
      max = Math.max(max, b.value());
    }
    int plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
    int height = TOP + bars.size() * (BAR_HEIGHT + GAP) + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n",
            WIDTH,
            height,
            WIDTH,
            height));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"10\" y=\"26\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
            escape(title)));
    int y = TOP;
    for (Bar b : bars) {
      int len = max > 0 ? (int) Math.round(plot * b.value() / max) : 0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
              LABEL_WIDTH - 8,
              y + BAR_HEIGHT - 6,
              escape(b.label())));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
              LABEL_WIDTH,
              y,
              Math.max(len, 1),
              BAR_HEIGHT,
              b.highlight() ? "#d9822b" : "#4a78b5"));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text>%n",
              LABEL_WIDTH + Math.max(len, 1) + 6,
              y + BAR_HEIGHT - 6,
              escape(format(b.value()) + " " + unit)));
      y += BAR_HEIGHT + GAP;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  static String format(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
