using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using AutoHypergrad.Data;

namespace AutoHypergrad.Cli.Reports;

/// <summary>One line of a plot: y over x, drawn through its finite points.</summary>
internal sealed record SvgSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>One set of axes with its series.</summary>
internal sealed record SvgPanel(string Title, string XLabel, string YLabel, IReadOnlyList<SvgSeries> Series);

/// <summary>An axis: its range (a multiple of the tick step at both ends) and its ticks.</summary>
internal sealed record SvgAxis(double Min, double Max, IReadOnlyList<double> Ticks);

/// <summary>
/// A small SVG line-plot writer for the experiments' figures (no plotting library is served): panels side by side,
/// each with its axes, ticks at 1, 2 or 5 × 10^k, axis labels, a title and a legend.
/// </summary>
internal static class SvgPlot
{
    public const double PanelWidth = 480;
    public const double PanelHeight = 340;
    private const double Left = 64, Right = 16, Top = 40, Bottom = 52, TitleHeight = 32;

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>Writes the figure to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, string title, IReadOnlyList<SvgPanel> panels) => AtomicFile.WriteAllText(path, Render(title, panels));

    /// <summary>The figure as an SVG document.</summary>
    public static string Render(string title, IReadOnlyList<SvgPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        double width = Math.Max(1, panels.Count) * PanelWidth;
        double height = TitleHeight + PanelHeight;
        XNamespace svg = "http://www.w3.org/2000/svg";
        var root = new XElement(
            svg + "svg",
            new XAttribute("width", Number(width)),
            new XAttribute("height", Number(height)),
            new XAttribute("viewBox", $"0 0 {Number(width)} {Number(height)}"),
            new XAttribute("font-family", "sans-serif"),
            new XAttribute("font-size", "12"),
            new XElement(svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(svg, width / 2, 22, title, "middle", 15));
        for (int p = 0; p < panels.Count; p++)
        {
            root.Add(Panel(svg, panels[p], p * PanelWidth, TitleHeight));
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + root + "\n";
    }

    /// <summary>The axis covering <paramref name="values"/>'s finite entries, with about five ticks.</summary>
    public static SvgAxis Axis(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        double min = finite.Length == 0 ? 0 : finite.Min();
        double max = finite.Length == 0 ? 1 : finite.Max();
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            (min, max) = (min - Math.Max(0.5, Math.Abs(min) * 0.1), max + Math.Max(0.5, Math.Abs(max) * 0.1));
        }

        double step = NiceStep((max - min) / 5);
        double low = Math.Floor(min / step) * step;
        double high = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (int i = 0; low + i * step <= high + step * 1e-9; i++)
        {
            ticks.Add(Math.Round(low + i * step, 12));
        }

        return new SvgAxis(low, high, ticks);
    }

    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }

    private static XElement Panel(XNamespace svg, SvgPanel panel, double x0, double y0)
    {
        var xAxis = Axis(panel.Series.SelectMany(s => s.X));
        var yAxis = Axis(panel.Series.SelectMany(s => s.Y));
        double plotLeft = x0 + Left, plotRight = x0 + PanelWidth - Right;
        double plotTop = y0 + Top, plotBottom = y0 + PanelHeight - Bottom;
        double X(double x) => plotLeft + (x - xAxis.Min) / (xAxis.Max - xAxis.Min) * (plotRight - plotLeft);
        double Y(double y) => plotBottom - (y - yAxis.Min) / (yAxis.Max - yAxis.Min) * (plotBottom - plotTop);

        var group = new XElement(svg + "g", new XAttribute("class", "panel"));
        group.Add(Text(svg, (plotLeft + plotRight) / 2, y0 + 20, panel.Title, "middle", 13));
        group.Add(new XElement(
            svg + "rect",
            new XAttribute("x", Number(plotLeft)),
            new XAttribute("y", Number(plotTop)),
            new XAttribute("width", Number(plotRight - plotLeft)),
            new XAttribute("height", Number(plotBottom - plotTop)),
            new XAttribute("fill", "none"),
            new XAttribute("stroke", "black")));
        foreach (double tick in xAxis.Ticks)
        {
            group.Add(Line(svg, X(tick), plotBottom, X(tick), plotBottom + 5, "black"));
            group.Add(Text(svg, X(tick), plotBottom + 18, Label(tick), "middle", 11, "x-tick"));
        }

        foreach (double tick in yAxis.Ticks)
        {
            group.Add(Line(svg, plotLeft - 5, Y(tick), plotLeft, Y(tick), "black"));
            group.Add(Line(svg, plotLeft, Y(tick), plotRight, Y(tick), "#e0e0e0"));
            group.Add(Text(svg, plotLeft - 8, Y(tick) + 4, Label(tick), "end", 11, "y-tick"));
        }

        group.Add(Text(svg, (plotLeft + plotRight) / 2, plotBottom + 38, panel.XLabel, "middle", 12));
        var yLabel = Text(svg, x0 + 16, (plotTop + plotBottom) / 2, panel.YLabel, "middle", 12);
        yLabel.Add(new XAttribute("transform", $"rotate(-90 {Number(x0 + 16)} {Number((plotTop + plotBottom) / 2)})"));
        group.Add(yLabel);

        for (int s = 0; s < panel.Series.Count; s++)
        {
            var series = panel.Series[s];
            string colour = Palette[s % Palette.Length];
            var points = new StringBuilder();
            for (int i = 0; i < Math.Min(series.X.Count, series.Y.Count); i++)
            {
                if (double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i]))
                {
                    points.Append(Number(X(series.X[i]))).Append(',').Append(Number(Y(series.Y[i]))).Append(' ');
                }
            }

            group.Add(new XElement(
                svg + "polyline",
                new XAttribute("class", "series"),
                new XAttribute("data-name", series.Name),
                new XAttribute("points", points.ToString().TrimEnd()),
                new XAttribute("fill", "none"),
                new XAttribute("stroke", colour),
                new XAttribute("stroke-width", "1.5")));
            double legendY = plotTop + 14 + s * 16;
            group.Add(Line(svg, plotLeft + 8, legendY - 4, plotLeft + 28, legendY - 4, colour, 2));
            group.Add(Text(svg, plotLeft + 32, legendY, series.Name, "start", 11, "legend"));
        }

        return group;
    }

    internal static XElement Line(XNamespace svg, double x1, double y1, double x2, double y2, string colour, double width = 1)
        => new(
            svg + "line",
            new XAttribute("x1", Number(x1)),
            new XAttribute("y1", Number(y1)),
            new XAttribute("x2", Number(x2)),
            new XAttribute("y2", Number(y2)),
            new XAttribute("stroke", colour),
            new XAttribute("stroke-width", Number(width)));

    internal static XElement Text(XNamespace svg, double x, double y, string text, string anchor, double size, string? role = null)
    {
        var element = new XElement(
            svg + "text",
            new XAttribute("x", Number(x)),
            new XAttribute("y", Number(y)),
            new XAttribute("text-anchor", anchor),
            new XAttribute("font-size", Number(size)),
            text);
        if (role is not null)
        {
            element.Add(new XAttribute("class", role));
        }

        return element;
    }

    internal static string Label(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    internal static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
