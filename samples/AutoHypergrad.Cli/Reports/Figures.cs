using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoHypergrad.Data;
using ScottPlot;
using SkiaSharp;

namespace AutoHypergrad.Cli.Reports;

/// <summary>One line of a plot: y over x, drawn through its finite points.</summary>
internal sealed record FigureSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>One set of axes with its series.</summary>
internal sealed record FigurePanel(string Title, string XLabel, string YLabel, IReadOnlyList<FigureSeries> Series);

/// <summary>A square matrix to draw as a heat map, row-major, with a label per row (and column).</summary>
internal sealed record FigureMatrix(string Title, IReadOnlyList<string> Labels, IReadOnlyList<double> Values);

/// <summary>
/// The experiments' figures, drawn with ScottPlot and written as SVG: panels side by side under one title. Line
/// panels have their axes, labels and a legend under the axes; heat maps share one colour scale (white at 0, dark blue
/// at the largest entry of all the maps, so they compare), carry each cell's value and end in a colour bar. Text is
/// set in the DejaVu Sans font shipped with the tool, so a machine without fonts draws the same figure.
/// </summary>
internal static class Figures
{
    /// <summary>The width of a panel; a figure is as wide as its panels side by side.</summary>
    public const int PanelWidth = 480;

    /// <summary>The height of a panel whose legend fits on one row.</summary>
    public const int PanelHeight = 360;

    /// <summary>The size of the values written in a heat map's cells.</summary>
    public const float CellFontSize = 10;

    /// <summary>The width of a series' line (and of its sample in the legend).</summary>
    public const float SeriesWidth = 1.5f;

    /// <summary>The height a legend under the axes adds per row of entries beyond the first (two entries a row).</summary>
    private const int LegendRowHeight = 20;

    /// <summary>The height of the figure's title above the panels.</summary>
    private const int TitleHeight = 32;

    /// <summary>The name the bundled font is registered under with ScottPlot.</summary>
    private const string FontName = "AutoHypergrad Sans";

    private static readonly SKTypeface Typeface;

    // A static constructor (not a field initializer) so that the font is registered before the first plot is made.
    static Figures() => Typeface = LoadFont();

    /// <summary>Writes line panels to <paramref name="path"/> as SVG, atomically.</summary>
    public static void WriteLines(string path, string title, IReadOnlyList<FigurePanel> panels) => AtomicFile.WriteAllText(path, Lines(title, panels));

    /// <summary>Writes heat maps to <paramref name="path"/> as SVG, atomically.</summary>
    /// <exception cref="ArgumentException">A matrix is not square with one label per row, or has a negative or non-finite entry.</exception>
    public static void WriteHeatMaps(string path, string title, IReadOnlyList<FigureMatrix> maps) => AtomicFile.WriteAllText(path, HeatMaps(title, maps));

    /// <summary>Line panels as an SVG document.</summary>
    public static string Lines(string title, IReadOnlyList<FigurePanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        int legendRows = panels.Select(p => (p.Series.Count + 1) / 2).DefaultIfEmpty(1).Max();
        return Svg(title, panels.Select(LinePlot).ToArray(), PanelHeight + Math.Max(0, legendRows - 1) * LegendRowHeight);
    }

    /// <summary>Heat maps as an SVG document.</summary>
    /// <exception cref="ArgumentException">A matrix is not square with one label per row, or has a negative or non-finite entry.</exception>
    public static string HeatMaps(string title, IReadOnlyList<FigureMatrix> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        foreach (var map in maps)
        {
            if (map.Values.Count != map.Labels.Count * map.Labels.Count || map.Values.Any(v => !(v >= 0) || !double.IsFinite(v)))
            {
                throw new ArgumentException($"'{map.Title}': a heat map needs {map.Labels.Count}² finite nonnegative values; it has {map.Values.Count}.", nameof(maps));
            }
        }

        double max = maps.SelectMany(m => m.Values).DefaultIfEmpty(0).Max();
        return Svg(title, maps.Select((m, i) => HeatMapPlot(m, max, colourBar: i == maps.Count - 1)).ToArray(), PanelHeight);
    }

    private static Plot LinePlot(FigurePanel panel)
    {
        var plot = NewPlot(panel.Title);
        if (panel.Series.Count > 10)
        {
            // Ten colours repeat after ten series; twenty (in pairs of a dark and a light shade) tell more apart.
            plot.Add.Palette = new ScottPlot.Palettes.Category20();
        }

        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        foreach (var series in panel.Series)
        {
            var finite = Enumerable.Range(0, Math.Min(series.X.Count, series.Y.Count))
                .Where(i => double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i]))
                .ToArray();
            var line = plot.Add.ScatterLine(finite.Select(i => series.X[i]).ToArray(), finite.Select(i => series.Y[i]).ToArray());
            line.LegendText = series.Name;
            line.LineWidth = SeriesWidth;
        }

        if (panel.Series.Count > 0)
        {
            // (An empty legend outside the axes would stop ScottPlot drawing the panel at all.)
            plot.ShowLegend(Edge.Bottom);
        }

        return plot;
    }

    private static Plot HeatMapPlot(FigureMatrix map, double max, bool colourBar)
    {
        int n = map.Labels.Count;
        int exponent = max > 0 ? (int)Math.Floor(Math.Log10(max)) : 0;
        double unit = Math.Pow(10, exponent);
        var plot = NewPlot(exponent == 0 ? map.Title : $"{map.Title} (values × 10{Superscript(exponent)})");
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Row i from the top: the unit square [j, j + 1] × [n - 1 - i, n - i], with its value in its middle.
                double value = map.Values[i * n + j];
                double fraction = max > 0 ? value / max : 0;
                var cell = plot.Add.Rectangle(j, j + 1, n - 1 - i, n - i);
                cell.FillColor = WhiteToBlue.Instance.GetColor(fraction);
                cell.LineColor = Color.FromHex("#e0e0e0");
                var label = plot.Add.Text((value / unit).ToString("0.0", CultureInfo.InvariantCulture), j + 0.5, n - i - 0.5);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = CellFontSize;
                label.LabelFontColor = fraction > 0.5 ? Colors.White : Colors.Black;
            }
        }

        double[] centres = Enumerable.Range(0, n).Select(j => j + 0.5).ToArray();
        plot.Axes.Bottom.SetTicks(centres, map.Labels.ToArray());
        plot.Axes.Left.SetTicks(centres, map.Labels.Reverse().ToArray());
        plot.Axes.SetLimits(0, n, 0, n);
        plot.XLabel("task (digit)");
        plot.YLabel("task (digit)");
        plot.Grid.IsVisible = false;
        if (colourBar)
        {
            // The colour bar reads its scale off a heat map; the cells above are what is drawn (vector, one per entry).
            var scale = plot.Add.Heatmap(new double[,] { { 0, max } });
            scale.Colormap = WhiteToBlue.Instance;
            scale.ManualRange = new ScottPlot.Range(0, max > 0 ? max / unit : 1);
            scale.IsVisible = false;
            plot.Add.ColorBar(scale);
        }

        return plot;
    }

    private static string Superscript(int exponent) =>
        string.Concat(exponent.ToString(CultureInfo.InvariantCulture).Select(c => c == '-' ? '⁻' : "⁰¹²³⁴⁵⁶⁷⁸⁹"[c - '0']));

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 14);
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        return plot;
    }

    /// <summary>The plots side by side under the figure's title, on one SVG canvas.</summary>
    private static string Svg(string title, IReadOnlyList<Plot> plots, int panelHeight)
    {
        int width = Math.Max(1, plots.Count) * PanelWidth;
        int height = TitleHeight + panelHeight;
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            canvas.Clear(SKColors.White);
            using var font = new SKFont(Typeface, 15);
            using var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black };
            canvas.DrawText(title, width / 2f, 22, SKTextAlign.Center, font, paint);
            for (int p = 0; p < plots.Count; p++)
            {
                // A plot clears its canvas before drawing: clip it to its own panel. Its first render sets its axis limits
                // and layout, and would draw everything twice when it re-renders on the SVG: do that one in memory.
                plots[p].RenderInMemory(PanelWidth, panelHeight);
                var panel = new SKRect(p * PanelWidth, TitleHeight, (p + 1) * PanelWidth, height);
                canvas.Save();
                canvas.ClipRect(panel);
                plots[p].Render(canvas, new PixelRect(panel.Left, panel.Right, panel.Bottom, panel.Top));
                canvas.Restore();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Registers the bundled font as the one every plot uses (the regular face also stands for bold).</summary>
    private static SKTypeface LoadFont()
    {
        string file = Path.Combine(AppContext.BaseDirectory, "Fonts", "DejaVuSans.ttf");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"The figures' font is missing: {file} should have been copied next to the tool.", file);
        }

        Fonts.AddFontFile(FontName, file, bold: false, italic: false);
        Fonts.AddFontFile(FontName, file, bold: true, italic: false);
        Fonts.Default = FontName;
        return SKTypeface.FromFile(file);
    }

    /// <summary>White (0) to dark blue (1), linearly in RGB.</summary>
    private sealed class WhiteToBlue : IColormap
    {
        public static readonly WhiteToBlue Instance = new();

        public string Name => "white to dark blue";

        public Color GetColor(double normalizedIntensity)
        {
            double f = Math.Clamp(normalizedIntensity, 0, 1);
            byte Channel(int dark) => (byte)Math.Round(255 + (dark - 255) * f);
            return new Color(Channel(0x08), Channel(0x30), Channel(0x6b));
        }
    }
}
