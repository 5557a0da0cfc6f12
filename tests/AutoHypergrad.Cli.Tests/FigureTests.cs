using System;
using System.Linq;
using AutoHypergrad.Cli.Reports;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary>
/// The figures (ScottPlot, written as SVG): well-formed, panels side by side under their title, one line per series
/// through its finite points and inside its plot's data area (the axes cover the data), every label and legend entry
/// set as text in the bundled font, a heat map's values in its cells on one scale.
/// </summary>
public sealed class FigureTests
{
    [Fact]
    public void A_line_figure_has_its_panels_labels_legend_and_a_line_per_series_inside_its_axes()
    {
        double[] x = [0, 1, 2, 3, 4];
        FigurePanel[] panels =
        [
            new("accuracy", "hyper-iteration", "accuracy", [new("validation", x, [0.8, 0.82, 0.85, 0.86, 0.9]), new("test", x, [0.79, 0.8, double.NaN, 0.84, 0.88])]),
            new("discarded <&>", "hyper-iteration", "examples", [new("TP", x, [0, 10, 100, 1000, 2400])]),
        ];
        var figure = FigureSvg.Parse(Figures.Lines("A \"title\" & more", panels));

        Assert.Equal("svg", figure.Root.Name.LocalName);
        Assert.Equal(2 * Figures.PanelWidth, figure.Width);
        foreach (string text in new[] { "A \"title\" & more", "accuracy", "discarded <&>", "examples", "validation", "test", "TP" })
        {
            Assert.Contains(text, figure.Texts);
        }

        Assert.Equal(2, figure.Count("hyper-iteration"));
        var lines = figure.Lines;
        Assert.Equal(3, lines.Count);
        Assert.Equal(new[] { 5, 4, 5 }, lines.Select(l => l.Points.Count));
        Assert.NotEqual(lines[0].Colour, lines[1].Colour);
        for (int s = 0; s < lines.Count; s++)
        {
            int panel = s < 2 ? 0 : 1;
            Assert.All(lines[s].Points, p => Assert.True(lines[s].Area.Contains(p), $"series {s}: {p} outside {lines[s].Area}"));
            Assert.InRange(lines[s].Area.Left, panel * Figures.PanelWidth, (panel + 1) * Figures.PanelWidth);
            Assert.InRange(lines[s].Area.Top + lines[s].Area.Height, 0, figure.Height);
        }

        // x runs left to right and y upwards: the increasing series rises on the page (its pixel y falls).
        Assert.True(lines[2].Points.Zip(lines[2].Points.Skip(1)).All(p => p.Second.X > p.First.X && p.Second.Y <= p.First.Y));
    }

    [Theory]
    [InlineData(new[] { 0.31, 0.97 })]
    [InlineData(new[] { 0.0, 2400.0 })]
    [InlineData(new[] { 5.0, 5.0 })]
    [InlineData(new[] { -3.2, double.NaN, 7.5 })]
    public void The_axes_cover_a_series_finite_values(double[] values)
    {
        double[] x = Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray();
        var figure = FigureSvg.Parse(Figures.Lines("range", [new FigurePanel("values", "i", "value", [new("y", x, values)])]));

        var line = Assert.Single(figure.Lines);
        Assert.Equal(values.Count(double.IsFinite), line.Points.Count);
        Assert.All(line.Points, p => Assert.True(line.Area.Contains(p), $"{p} outside {line.Area}"));
    }

    [Fact]
    public void An_empty_plot_still_draws_its_axes_and_title()
    {
        var figure = FigureSvg.Parse(Figures.Lines("empty", [new FigurePanel("none", "x", "y", [])]));

        Assert.Empty(figure.Lines);
        Assert.Contains("none", figure.Texts);
        Assert.Contains("x", figure.Texts);
    }

    [Fact]
    public void A_heat_map_shows_each_value_in_its_cell_on_one_scale_for_all_maps()
    {
        string[] labels = ["a", "b"];
        var figure = FigureSvg.Parse(Figures.HeatMaps("relations", [new FigureMatrix("first", labels, [0, 0.002, 0.001, 0.0005]), new FigureMatrix("second", labels, [0.0015, 0, 0, 0])]));

        Assert.Equal(2 * Figures.PanelWidth, figure.Width);
        Assert.Contains("first (values × 10⁻³)", figure.Texts);
        Assert.Contains("second (values × 10⁻³)", figure.Texts);
        Assert.Equal(["0.0", "2.0", "1.0", "0.5", "1.5", "0.0", "0.0", "0.0"], figure.TextsOfSize(Figures.CellFontSize));
        Assert.True(figure.Count("a") >= 4 && figure.Count("b") >= 4, "row and column labels of both maps");
    }

    [Fact]
    public void A_heat_map_that_is_not_square_or_has_a_negative_entry_is_refused_by_its_title()
    {
        var wrongSize = Assert.Throws<ArgumentException>(() => Figures.HeatMaps("t", [new FigureMatrix("ragged", ["a", "b"], [1, 2, 3])]));
        Assert.Contains("'ragged'", wrongSize.Message, StringComparison.Ordinal);
        Assert.Contains("3", wrongSize.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<ArgumentException>(() => Figures.HeatMaps("t", [new FigureMatrix("negative", ["a"], [-1])]));
        Assert.Contains("'negative'", negative.Message, StringComparison.Ordinal);
    }
}
