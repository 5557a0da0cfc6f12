using System;
using System.Globalization;
using System.IO;
using AutoHypergrad.Data;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Data;

public sealed class CsvReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ReadsClassificationWithoutHeader()
    {
        string path = _directory.WriteText("data.csv", "0,1.5,2\n2,-3e-1,4\n1,5,6\n");
        Dataset<double> data = CsvReader.Read<double>(path, DataTask.Classification);
        Assert.Equal((3, 2, 3, path), (data.Count, data.FeatureCount, data.ClassCount, data.Source));
        Assert.Equal([1.5, 2, -0.3, 4, 5, 6], data.Features);
        Assert.Equal([0, 2, 1], data.Labels!);
        Assert.Null(data.Targets);
    }

    [Fact]
    public void DetectsAHeaderWhoseFeatureNamesAreNotNumbers()
    {
        string path = _directory.WriteText("data.csv", "label,x1,2\n4,1,2\n0,3,4\n");
        Dataset<float> data = CsvReader.Read<float>(path, DataTask.Classification);
        Assert.Equal((2, 2, 5), (data.Count, data.FeatureCount, data.ClassCount));
        Assert.Equal([1f, 2, 3, 4], data.Features);
    }

    [Fact]
    public void FirstLineWithNumericFeaturesIsData()
    {
        // Only the fields after the first decide: "y" is then a label that is not a class index.
        string path = _directory.WriteText("data.csv", "y,1,2\n0,3,4\n");
        var e = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path, DataTask.Classification));
        Assert.Equal($"{path}: line 1, column 1: expected a class index (a non-negative integer), found 'y'", e.Message);
    }

    [Fact]
    public void ClassCountIsAtLeastTwo()
    {
        string path = _directory.WriteText("data.csv", "0,1\n0,2\n");
        Dataset<double> data = CsvReader.Read<double>(path, DataTask.Classification);
        Assert.Equal(2, data.ClassCount);
        Assert.Equal([0, 0], data.Labels!);
    }

    [Fact]
    public void IntegralClassIndexMayHaveAFraction()
    {
        string path = _directory.WriteText("data.csv", "1.0,1\n0,2\n");
        Assert.Equal([1, 0], CsvReader.Read<double>(path, DataTask.Classification).Labels!);
    }

    [Fact]
    public void ReadsRegressionTargets()
    {
        string path = _directory.WriteText("data.csv", "target,a,b\n1.25,1,2\n-2.5E1,3,4\n");
        Dataset<double> data = CsvReader.Read<double>(path, DataTask.Regression);
        Assert.Equal((2, 2, 0, false), (data.Count, data.FeatureCount, data.ClassCount, data.IsClassification));
        Assert.Equal([1.25, -25], data.Targets!);
        Assert.Null(data.Labels);
    }

    [Fact]
    public void SkipsBlankLinesAndAcceptsCrLfAndSpaces()
    {
        string path = _directory.WriteText("data.csv", "\r\n1, 2 ,3\r\n   \r\n0,4,5\r\n\r\n");
        Dataset<double> data = CsvReader.Read<double>(path, DataTask.Classification);
        Assert.Equal([2.0, 3, 4, 5], data.Features);
        Assert.Equal([1, 0], data.Labels!);
    }

    [Fact]
    public void UsesTheInvariantCulture()
    {
        string path = _directory.WriteText("data.csv", "0.5,1.5\n1.5,2\n");
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal([0.5, 1.5], CsvReader.Read<double>(path, DataTask.Regression).Targets!);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("0,1,2\n1,abc,3\n", DataTask.Classification, "line 2, column 2", "expected a number, found 'abc'")]
    [InlineData("0,1,2\n1,2,\n", DataTask.Classification, "line 2, column 3", "expected a number, found nothing")]
    [InlineData("0,1,2\n1,2,1e39\n", DataTask.Classification, "line 2, column 3", "expected a finite number, found '1e39'")]
    [InlineData("0,1,2\n1,2,NaN\n", DataTask.Classification, "line 2, column 3", "expected a finite number, found 'NaN'")]
    [InlineData("0,1,2\n1,2,3\n\n1,2\n", DataTask.Classification, "line 4, column 3", "expected 3 fields, as on line 1, found 2")]
    [InlineData("a,b,c\n0,1,2\n1,2,3,4\n", DataTask.Classification, "line 3, column 4", "expected 3 fields, as on line 1, found 4")]
    [InlineData("0,1\n-1,2\n", DataTask.Classification, "line 2, column 1", "expected a class index (a non-negative integer), found '-1'")]
    [InlineData("0,1\n1.5,2\n", DataTask.Classification, "line 2, column 1", "expected a class index (a non-negative integer), found '1.5'")]
    [InlineData("0,1\n,2\n", DataTask.Classification, "line 2, column 1", "expected a class index (a non-negative integer), found nothing")]
    [InlineData("0,1\nx,2\n", DataTask.Regression, "line 2, column 1", "expected a number, found 'x'")]
    [InlineData("\n5\n", DataTask.Regression, "line 2, column 2", "expected a label and at least one feature (2 or more comma-separated fields), found 1 field")]
    [InlineData("", DataTask.Classification, "end of file", "expected at least one data line, found none")]
    [InlineData("label,feature\n\n", DataTask.Regression, "end of file", "expected at least one data line, found only a header")]
    public void ErrorsNameTheLineColumnAndWhatWasExpected(string text, DataTask task, string location, string expectedAndFound)
    {
        string path = _directory.WriteText("bad.csv", text);
        var e = Assert.Throws<DataFormatException>(() => CsvReader.Read<float>(path, task));
        Assert.Equal($"{path}: {location}: {expectedAndFound}", e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Equal(location, e.Location);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(_directory.Path, "absent.csv");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => CsvReader.Read<double>(path, DataTask.Regression)).Message, StringComparison.Ordinal);
    }
}
