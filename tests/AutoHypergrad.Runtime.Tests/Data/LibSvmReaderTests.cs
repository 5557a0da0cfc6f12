using System;
using System.IO;
using System.Linq;
using AutoHypergrad.Data;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Data;

public sealed class LibSvmReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ReadsSparseRowsAndMapsPlusMinusOneToZeroAndOne()
    {
        string path = _directory.WriteText("data.svm", "+1 1:0.5 3:2\n-1 2:1\n1\n");
        Dataset<double> data = LibSvmReader.Read<double>(path, DataTask.Classification, out double[] labelValues);
        Assert.Equal((3, 3, 2, path), (data.Count, data.FeatureCount, data.ClassCount, data.Source));
        Assert.Equal([0.5, 0, 2, 0, 1, 0, 0, 0, 0], data.Features);
        Assert.Equal([1, 0, 1], data.Labels!);
        Assert.Equal([-1.0, 1], labelValues);
    }

    [Fact]
    public void MapsLabelsByNumericOrder()
    {
        string path = _directory.WriteText("data.svm", string.Concat(new[] { 10, 2, 1, 9, 3, 4, 5, 6, 7, 8 }.Select(label => $"{label} 1:{label}\n")));
        Dataset<float> data = LibSvmReader.Read<float>(path, DataTask.Classification, out double[] labelValues);
        Assert.Equal([9, 1, 0, 8, 2, 3, 4, 5, 6, 7], data.Labels!);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], labelValues);
        Assert.Equal(10, data.ClassCount);
    }

    [Fact]
    public void SkipsCommentsAndBlankLinesAndAcceptsTabs()
    {
        string path = _directory.WriteText("data.svm", "# a comment line\n\n2\t1:1  2:2 # a trailing comment\n   \n3 2:4\t\n");
        Dataset<double> data = LibSvmReader.Read<double>(path, DataTask.Classification);
        Assert.Equal([1.0, 2, 0, 4], data.Features);
        Assert.Equal([0, 1], data.Labels!);
    }

    [Fact]
    public void ReadsRegressionTargets()
    {
        string path = _directory.WriteText("data.svm", "1.5 2:1\n-0.25 1:3 4:1e-2\n");
        Dataset<double> data = LibSvmReader.Read<double>(path, DataTask.Regression, out double[] labelValues);
        Assert.Equal((2, 4, 0), (data.Count, data.FeatureCount, data.ClassCount));
        Assert.Equal([1.5, -0.25], data.Targets!);
        Assert.Equal([0, 1, 0, 0, 3, 0, 0, 0.01], data.Features);
        Assert.Empty(labelValues);
    }

    [Fact]
    public void GivenFeatureCountWidensTheRows()
    {
        string path = _directory.WriteText("data.svm", "0 1:1\n1 2:2\n");
        Dataset<double> data = LibSvmReader.Read<double>(path, DataTask.Classification, featureCount: 4);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal([1.0, 0, 0, 0, 0, 2, 0, 0], data.Features);
    }

    [Fact]
    public void FeatureCountMustBePositive()
    {
        string path = _directory.WriteText("data.svm", "0 1:1\n1 2:2\n");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LibSvmReader.Read<double>(path, DataTask.Classification, featureCount: 0));
        Assert.Equal("featureCount", e.ParamName);
    }

    [Theory]
    [InlineData("1 1:1\n0 1:1 3:2 2:1\n", null, "line 2, token 4", "expected a feature index above 3 (indices must increase), found '2'")]
    [InlineData("1 2:1 2:1\n0 1:1\n", null, "line 1, token 3", "expected a feature index above 2 (indices must increase), found '2'")]
    [InlineData("1 0:1\n0 1:1\n", null, "line 1, token 2", "expected a feature index (a positive integer) before ':', found '0'")]
    [InlineData("1 -1:1\n0 1:1\n", null, "line 1, token 2", "expected a feature index (a positive integer) before ':', found '-1'")]
    [InlineData("1 :1\n0 1:1\n", null, "line 1, token 2", "expected a feature index (a positive integer) before ':', found nothing")]
    [InlineData("1 1:1 0.5\n", null, "line 1, token 3", "expected a feature as index:value, found '0.5'")]
    [InlineData("1 1:x\n", null, "line 1, token 2", "expected a number, found 'x'")]
    [InlineData("1 1:\n", null, "line 1, token 2", "expected a number, found nothing")]
    [InlineData("0 1:1\n\n1 1:1 3:1\n", 2, "line 3, token 3", "expected a feature index at most 2 (the feature count given), found '3'")]
    [InlineData("0 1:1\none 1:1\n", null, "line 2, token 1", "expected a label (a number), found 'one'")]
    [InlineData("# only\n1 1:1\n1 2:1\n", null, "end of file", "expected at least two distinct labels for classification, found only the label 1")]
    [InlineData("0\n1\n", null, "end of file", "expected at least one feature (an index:value pair), found none on any line")]
    [InlineData("# nothing\n\n", null, "end of file", "expected at least one data line, found none")]
    public void ClassificationErrorsNameTheLineTokenAndWhatWasExpected(string text, int? featureCount, string location, string expectedAndFound)
    {
        string path = _directory.WriteText("bad.svm", text);
        var e = Assert.Throws<DataFormatException>(() => LibSvmReader.Read<float>(path, DataTask.Classification, featureCount));
        Assert.Equal($"{path}: {location}: {expectedAndFound}", e.Message);
        Assert.Equal(location, e.Location);
    }

    [Fact]
    public void RegressionTargetMustBeAFiniteNumber()
    {
        string path = _directory.WriteText("bad.svm", "1 1:1\n1e400 1:1\n");
        var e = Assert.Throws<DataFormatException>(() => LibSvmReader.Read<double>(path, DataTask.Regression));
        Assert.Equal($"{path}: line 2, token 1: expected a finite number, found '1e400'", e.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(_directory.Path, "absent.svm");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => LibSvmReader.Read<double>(path, DataTask.Classification)).Message, StringComparison.Ordinal);
    }
}
