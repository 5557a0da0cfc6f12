using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using AutoHypergrad.Cli.Reports;

namespace AutoHypergrad.Cli.Tests;

/// <summary>A point of a drawn line, in the figure's pixels.</summary>
internal readonly record struct FigurePoint(double X, double Y);

/// <summary>A pixel rectangle: a plot's data area.</summary>
internal readonly record struct FigureArea(double Left, double Top, double Width, double Height)
{
    /// <summary>Whether <paramref name="point"/> lies inside, to half a pixel.</summary>
    public bool Contains(FigurePoint point) =>
        point.X >= Left - 0.5 && point.X <= Left + Width + 0.5 && point.Y >= Top - 0.5 && point.Y <= Top + Height + 0.5;
}

/// <summary>A series' line as drawn: its colour, its points and the data area it is clipped to.</summary>
internal sealed record FigureLine(string Colour, IReadOnlyList<FigurePoint> Points, FigureArea Area);

/// <summary>
/// What a figure from <see cref="Figures"/> shows, read back from its SVG: its text (titles, axis labels, ticks, the
/// legend, a heat map's values) and its series' lines (each drawn alone in a group clipped to its plot's data area, in
/// <see cref="Figures.SeriesWidth"/>; the legend's samples are not lines of data).
/// </summary>
internal sealed class FigureSvg
{
    private FigureSvg(XElement root) => Root = root;

    public XElement Root { get; }

    public double Width => double.Parse(Root.Attribute("width")!.Value, CultureInfo.InvariantCulture);

    public double Height => double.Parse(Root.Attribute("height")!.Value, CultureInfo.InvariantCulture);

    /// <summary>Every text element's content, trimmed, in document order.</summary>
    public IReadOnlyList<string> Texts => Root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();

    /// <summary>The content of the text elements set in <paramref name="size"/> points, in document order.</summary>
    public IReadOnlyList<string> TextsOfSize(float size) => Root.Descendants()
        .Where(e => e.Name.LocalName == "text" && e.Attribute("font-size")?.Value == size.ToString(CultureInfo.InvariantCulture))
        .Select(e => e.Value.Trim())
        .ToArray();

    /// <summary>The lines of data, in the order they were drawn (panel by panel, series by series).</summary>
    public IReadOnlyList<FigureLine> Lines
    {
        get
        {
            var areas = Root.Descendants()
                .Where(e => e.Name.LocalName == "clipPath")
                .ToDictionary(e => e.Attribute("id")!.Value, e => Area(e.Elements().Single()));
            string width = Figures.SeriesWidth.ToString(CultureInfo.InvariantCulture);
            return Root.Descendants()
                .Where(g => g.Name.LocalName == "g" && g.Attribute("clip-path") is not null)
                .Where(g => g.Elements().Count() == 1 && g.Elements().Single() is var path && path.Name.LocalName == "path" && path.Attribute("stroke-width")?.Value == width)
                .Select(g => Line(g.Elements().Single(), areas[g.Attribute("clip-path")!.Value["url(#".Length..^1]]))
                .ToArray();
        }
    }

    public static FigureSvg Parse(string svg) => new(XDocument.Parse(svg).Root!);

    public static FigureSvg Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>How many text elements read exactly <paramref name="text"/>.</summary>
    public int Count(string text) => Texts.Count(t => t == text);

    private static FigureArea Area(XElement rect)
    {
        double Read(string name) => double.Parse(rect.Attribute(name)?.Value ?? "0", CultureInfo.InvariantCulture);
        return new FigureArea(Read("x"), Read("y"), Read("width"), Read("height"));
    }

    /// <summary>A path of straight segments ("M x y L x y L …") as its points.</summary>
    private static FigureLine Line(XElement path, FigureArea area)
    {
        var numbers = path.Attribute("d")!.Value.Replace('M', ' ').Replace('L', ' ')
            .Split(' ', System.StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture))
            .ToArray();
        var points = Enumerable.Range(0, numbers.Length / 2).Select(i => new FigurePoint(numbers[2 * i], numbers[2 * i + 1])).ToArray();
        return new FigureLine(path.Attribute("stroke")!.Value, points, area);
    }
}
