using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using AutoHypergrad.Cli.Reports;
using Xunit;

namespace AutoHypergrad.Cli.Tests;

/// <summary>The SVG writer: well-formed, one polyline per series, every coordinate finite and on the canvas, axes covering the data.</summary>
public sealed class SvgPlotTests
{
    [Fact]
    public void A_figure_is_well_formed_with_a_polyline_per_series_on_the_canvas()
    {
        double[] x = [0, 1, 2, 3, 4];
        SvgPanel[] panels =
        [
            new("accuracy", "hyper-iteration", "accuracy", [new("validation", x, [0.8, 0.82, 0.85, 0.86, 0.9]), new("test", x, [0.79, 0.8, double.NaN, 0.84, 0.88])]),
            new("discarded <&>", "hyper-iteration", "examples", [new("TP", x, [0, 10, 100, 1000, 2400])]),
        ];
        var svg = XDocument.Parse(SvgPlot.Render("A \"title\" & more", panels)).Root!;

        Assert.Equal("svg", svg.Name.LocalName);
        double width = double.Parse(svg.Attribute("width")!.Value, CultureInfo.InvariantCulture);
        double height = double.Parse(svg.Attribute("height")!.Value, CultureInfo.InvariantCulture);
        Assert.Equal(2 * SvgPlot.PanelWidth, width);
        var lines = svg.Descendants().Where(e => e.Name.LocalName == "polyline").ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Equal(new[] { "validation", "test", "TP" }, lines.Select(l => l.Attribute("data-name")!.Value));
        Assert.Equal(4, lines[1].Attribute("points")!.Value.Split(' ').Length);
        foreach (var line in lines)
        {
            foreach (string point in line.Attribute("points")!.Value.Split(' '))
            {
                double[] xy = point.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                Assert.True(double.IsFinite(xy[0]) && double.IsFinite(xy[1]));
                Assert.InRange(xy[0], 0, width);
                Assert.InRange(xy[1], 0, height);
            }
        }

        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value == "discarded <&>");
        Assert.Contains(svg.Descendants(), e => e.Attribute("class")?.Value == "legend" && e.Value == "TP");
    }

    [Theory]
    [InlineData(new[] { 0.31, 0.97 })]
    [InlineData(new[] { 0.0, 2400.0 })]
    [InlineData(new[] { 5.0, 5.0 })]
    [InlineData(new[] { -3.2, double.NaN, 7.5 })]
    public void An_axis_covers_its_finite_values_with_increasing_ticks_at_its_ends(double[] values)
    {
        var axis = SvgPlot.Axis(values);
        var finite = values.Where(double.IsFinite).ToArray();

        Assert.True(axis.Min <= finite.Min() && axis.Max >= finite.Max(), $"[{axis.Min}, {axis.Max}]");
        Assert.True(axis.Max > axis.Min);
        Assert.InRange(axis.Ticks.Count, 3, 12);
        Assert.Equal(axis.Min, axis.Ticks[0], 9);
        Assert.Equal(axis.Max, axis.Ticks[^1], 9);
        Assert.True(axis.Ticks.Zip(axis.Ticks.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public void An_empty_plot_still_has_axes()
    {
        var axis = SvgPlot.Axis([]);
        Assert.True(axis.Max > axis.Min);
        XDocument.Parse(SvgPlot.Render("empty", [new SvgPanel("none", "x", "y", [])]));
    }
}
