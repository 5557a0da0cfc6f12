using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using AutoHypergrad.Data;

namespace AutoHypergrad.Cli.Reports;

/// <summary>A square matrix to draw as a heat map, row-major, with a label per row (and column).</summary>
internal sealed record SvgMatrix(string Title, IReadOnlyList<string> Labels, IReadOnlyList<double> Values);

/// <summary>
/// Heat maps side by side (white at 0, dark blue at the largest entry of all the maps, so they compare), with the
/// labels on both axes, each cell's value in its title (a tooltip) and a colour bar; for relation graphs such as the
/// task-relation matrix of multi-task learning.
/// </summary>
internal static class SvgHeatMap
{
    private const double Cell = 30, Margin = 40, TitleHeight = 32, PanelTitle = 24, BarWidth = 70;

    /// <summary>Writes the figure to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, string title, IReadOnlyList<SvgMatrix> maps) => AtomicFile.WriteAllText(path, Render(title, maps));

    /// <summary>The figure as an SVG document.</summary>
    /// <exception cref="ArgumentException">A matrix is not square with one label per row, or has a negative or non-finite entry.</exception>
    public static string Render(string title, IReadOnlyList<SvgMatrix> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        foreach (var map in maps)
        {
            if (map.Values.Count != map.Labels.Count * map.Labels.Count || map.Values.Any(v => !(v >= 0) || !double.IsFinite(v)))
            {
                throw new ArgumentException($"'{map.Title}': a heat map needs {map.Labels.Count}² finite nonnegative values; it has {map.Values.Count}.", nameof(maps));
            }
        }

        int n = maps.Count == 0 ? 0 : maps.Max(m => m.Labels.Count);
        double panel = Margin + n * Cell + Margin / 2;
        double width = Math.Max(1, maps.Count) * panel + BarWidth;
        double height = TitleHeight + PanelTitle + Margin + n * Cell + Margin / 2;
        double max = maps.SelectMany(m => m.Values).DefaultIfEmpty(0).Max();
        XNamespace svg = "http://www.w3.org/2000/svg";
        var root = new XElement(
            svg + "svg",
            new XAttribute("width", SvgPlot.Number(width)),
            new XAttribute("height", SvgPlot.Number(height)),
            new XAttribute("viewBox", $"0 0 {SvgPlot.Number(width)} {SvgPlot.Number(height)}"),
            new XAttribute("font-family", "sans-serif"),
            new XAttribute("font-size", "12"),
            new XElement(svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            SvgPlot.Text(svg, width / 2, 22, title, "middle", 15));
        for (int p = 0; p < maps.Count; p++)
        {
            root.Add(Panel(svg, maps[p], p * panel + Margin, TitleHeight, max));
        }

        root.Add(ColourBar(svg, maps.Count * panel, TitleHeight + PanelTitle + Margin, n * Cell, max));
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + root + "\n";
    }

    private static XElement Panel(XNamespace svg, SvgMatrix map, double x0, double y0, double max)
    {
        int n = map.Labels.Count;
        double top = y0 + PanelTitle + Margin;
        var group = new XElement(svg + "g", new XAttribute("class", "heat-map"));
        group.Add(SvgPlot.Text(svg, x0 + n * Cell / 2, y0 + 18, map.Title, "middle", 13));
        for (int i = 0; i < n; i++)
        {
            group.Add(SvgPlot.Text(svg, x0 - 6, top + (i + 0.5) * Cell + 4, map.Labels[i], "end", 11, "row-label"));
            group.Add(SvgPlot.Text(svg, x0 + (i + 0.5) * Cell, top - 6, map.Labels[i], "middle", 11, "column-label"));
            for (int j = 0; j < n; j++)
            {
                double value = map.Values[i * n + j];
                group.Add(new XElement(
                    svg + "rect",
                    new XAttribute("class", "cell"),
                    new XAttribute("x", SvgPlot.Number(x0 + j * Cell)),
                    new XAttribute("y", SvgPlot.Number(top + i * Cell)),
                    new XAttribute("width", SvgPlot.Number(Cell)),
                    new XAttribute("height", SvgPlot.Number(Cell)),
                    new XAttribute("fill", Colour(max > 0 ? value / max : 0)),
                    new XAttribute("stroke", "#e0e0e0"),
                    new XElement(svg + "title", $"{map.Labels[i]}, {map.Labels[j]}: {SvgPlot.Label(value)}")));
            }
        }

        return group;
    }

    private static XElement ColourBar(XNamespace svg, double x0, double top, double height, double max)
    {
        const int Steps = 20;
        var group = new XElement(svg + "g", new XAttribute("class", "colour-bar"));
        for (int s = 0; s < Steps; s++)
        {
            group.Add(new XElement(
                svg + "rect",
                new XAttribute("x", SvgPlot.Number(x0 + 10)),
                new XAttribute("y", SvgPlot.Number(top + s * height / Steps)),
                new XAttribute("width", "14"),
                new XAttribute("height", SvgPlot.Number(height / Steps + 0.5)),
                new XAttribute("fill", Colour(1 - (s + 0.5) / Steps))));
        }

        group.Add(SvgPlot.Text(svg, x0 + 28, top + 10, SvgPlot.Label(max), "start", 11));
        group.Add(SvgPlot.Text(svg, x0 + 28, top + height, "0", "start", 11));
        return group;
    }

    /// <summary>White (0) to dark blue (1), linearly in RGB.</summary>
    private static string Colour(double fraction)
    {
        double f = Math.Clamp(fraction, 0, 1);
        int Channel(int dark) => (int)Math.Round(255 + (dark - 255) * f);
        return $"#{Channel(0x08):x2}{Channel(0x30):x2}{Channel(0x6b):x2}";
    }
}
