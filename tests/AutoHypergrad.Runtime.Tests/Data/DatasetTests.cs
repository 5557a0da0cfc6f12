using System;
using AutoHypergrad.Data;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Data;

public class DatasetTests
{
    /// <summary>4 rows × 3 features: row i is (10i, 10i + 1, 10i + 2); labels 0, 1, 2, 1 of 3 classes.</summary>
    private static Dataset<double> Classification() =>
        new([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], 4, 3, [0, 1, 2, 1], null, 3, "test data");

    /// <summary>3 rows × 2 features, targets 0.5, 1.5, 2.5.</summary>
    private static Dataset<double> Regression() =>
        new([1, 2, 3, 4, 5, 6], 3, 2, null, [0.5, 1.5, 2.5], 0, "regression data");

    [Fact]
    public void ConstructorKeepsTheArraysAndProperties()
    {
        double[] features = [1, 2, 3, 4];
        int[] labels = [1, 0];
        var data = new Dataset<double>(features, 2, 2, labels, null, 2, "source");
        Assert.Same(features, data.Features);
        Assert.Same(labels, data.Labels);
        Assert.Null(data.Targets);
        Assert.Equal((2, 2, 2, true, "source"), (data.Count, data.FeatureCount, data.ClassCount, data.IsClassification, data.Source));

        Dataset<float> regression = new([1, 2], 1, 2, null, [3], 0, "r");
        Assert.False(regression.IsClassification);
        Assert.Equal(0, regression.ClassCount);
        Assert.Equal([3f], regression.Targets!);
    }

    [Fact]
    public void ConstructorAcceptsAnEmptyDataset()
    {
        var data = new Dataset<double>([], 0, 5, [], null, 2, "empty");
        Assert.Equal(0, data.Count);
    }

    [Theory]
    [InlineData("features", "features has 5 values; count × featureCount is 2 × 3 = 6.")]
    [InlineData("count", "count is -1; it must be 0 or more.")]
    [InlineData("featureCount", "featureCount is 0; it must be 1 or more.")]
    [InlineData("classCount", "classCount is 1; it must be 0 (regression) or 2 or more (classification).")]
    [InlineData("classCount negative", "classCount is -2; it must be 0 (regression) or 2 or more (classification).")]
    [InlineData("labels null", "labels is null but classCount is 3 (classification); a classification dataset needs labels.")]
    [InlineData("labels length", "labels has 3 values; count is 2.")]
    [InlineData("labels range", "labels[1] is 3; a class index must be in [0, 3).")]
    [InlineData("labels negative", "labels[0] is -1; a class index must be in [0, 3).")]
    [InlineData("targets for classification", "targets has 2 values but classCount is 3 (classification); a classification dataset has no targets.")]
    [InlineData("labels for regression", "labels has 2 values but classCount is 0 (regression); a regression dataset has no labels.")]
    [InlineData("targets null", "targets is null but classCount is 0 (regression); a regression dataset needs targets.")]
    [InlineData("targets length", "targets has 1 values; count is 2.")]
    public void ConstructorRejectsInconsistentArgumentsNamingTheArgumentAndValue(string problem, string message)
    {
        double[] six = [1, 2, 3, 4, 5, 6];
        Func<Dataset<double>> create = problem switch
        {
            "features" => () => new([1, 2, 3, 4, 5], 2, 3, [0, 1], null, 3, "s"),
            "count" => () => new(six, -1, 3, [0, 1], null, 3, "s"),
            "featureCount" => () => new([], 2, 0, [0, 1], null, 3, "s"),
            "classCount" => () => new(six, 2, 3, [0, 0], null, 1, "s"),
            "classCount negative" => () => new(six, 2, 3, [0, 0], null, -2, "s"),
            "labels null" => () => new(six, 2, 3, null, null, 3, "s"),
            "labels length" => () => new(six, 2, 3, [0, 1, 2], null, 3, "s"),
            "labels range" => () => new(six, 2, 3, [0, 3], null, 3, "s"),
            "labels negative" => () => new(six, 2, 3, [-1, 0], null, 3, "s"),
            "targets for classification" => () => new(six, 2, 3, [0, 1], [1, 2], 3, "s"),
            "labels for regression" => () => new(six, 2, 3, [0, 1], [1, 2], 0, "s"),
            "targets null" => () => new(six, 2, 3, null, null, 0, "s"),
            "targets length" => () => new(six, 2, 3, null, [1], 0, "s"),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        ArgumentException e = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(problem.Split(' ')[0], e.ParamName);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructorRejectsNullFeaturesAndSource()
    {
        Assert.Equal("features", Assert.Throws<ArgumentNullException>(() => new Dataset<double>(null!, 0, 1, [], null, 2, "s")).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => new Dataset<double>([], 0, 1, [], null, 2, null!)).ParamName);
    }

    [Fact]
    public void RowIsTheRowsFeatures()
    {
        Dataset<double> data = Classification();
        Assert.Equal([20.0, 21, 22], data.Row(2).ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.Row(4));
        Assert.StartsWith("index is 4; it must be in [0, 4) (test data has 4 rows).", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Row(-1));
    }

    [Fact]
    public void SliceCopiesConsecutiveRows()
    {
        Dataset<double> data = Classification();
        Dataset<double> slice = data.Slice(1, 2);
        Assert.Equal([10.0, 11, 12, 20, 21, 22], slice.Features);
        Assert.Equal([1, 2], slice.Labels!);
        Assert.Equal((2, 3, 3), (slice.Count, slice.FeatureCount, slice.ClassCount));
        Assert.Equal("test data[1..3)", slice.Source);

        slice.Features[0] = -1;
        slice.Labels![0] = 0;
        Assert.Equal(10.0, data.Features[3]);
        Assert.Equal(1, data.Labels![1]);

        Dataset<double> targets = Regression().Slice(2, 1);
        Assert.Equal([2.5], targets.Targets!);
        Assert.Equal(0, data.Slice(4, 0).Count);
    }

    [Fact]
    public void SliceRejectsARangeOutsideTheRows()
    {
        Dataset<double> data = Classification();
        Assert.StartsWith(
            "start is 5; it must be in [0, 4] (test data has 4 rows).",
            Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(5, 0)).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "count is 3; from start 2 it must be in [0, 2] (test data has 4 rows).",
            Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(2, 3)).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(0, -1));
    }

    [Fact]
    public void SelectCopiesRowsInTheGivenOrder()
    {
        Dataset<double> data = Classification();
        Dataset<double> selected = data.Select([3, 0, 3]);
        Assert.Equal([30.0, 31, 32, 0, 1, 2, 30, 31, 32], selected.Features);
        Assert.Equal([1, 0, 1], selected.Labels!);
        Assert.Equal(3, selected.ClassCount);
        Assert.Equal("test data (3 selected rows)", selected.Source);

        Assert.Equal([2.5, 0.5], Regression().Select([2, 0]).Targets!);
        Assert.Equal(0, data.Select([]).Count);
    }

    [Fact]
    public void SelectRejectsAnIndexOutsideTheRows()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Classification().Select([1, 4]));
        Assert.Equal("indices", e.ParamName);
        Assert.StartsWith("indices[1] is 4; it must be in [0, 4) (test data has 4 rows).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertChangesTheFeatureAndTargetType()
    {
        Dataset<double> data = Classification();
        Dataset<float> single = data.Convert<float>();
        Assert.Equal([0f, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], single.Features);
        Assert.Equal(data.Labels, single.Labels);
        Assert.NotSame(data.Labels, single.Labels);
        Assert.Equal((4, 3, 3, "test data"), (single.Count, single.FeatureCount, single.ClassCount, single.Source));

        Dataset<float> regression = new Dataset<double>([0.1], 1, 1, null, [1.0 / 3], 0, "r").Convert<float>();
        Assert.Equal([0.1f], regression.Features);
        Assert.Equal([1f / 3], regression.Targets!);
        Assert.Equal([(double)(1f / 3)], regression.Convert<double>().Targets!);
    }

    [Fact]
    public void ConcatenateAppendsTheSecondsRows()
    {
        Dataset<double> first = new([1, 2], 1, 2, [1], null, 2, "a");
        Dataset<double> second = new([3, 4, 5, 6], 2, 2, [4, 0], null, 5, "b");
        Dataset<double> both = Dataset<double>.Concatenate(first, second);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], both.Features);
        Assert.Equal([1, 4, 0], both.Labels!);
        Assert.Equal((3, 2, 5, "a + b"), (both.Count, both.FeatureCount, both.ClassCount, both.Source));

        Dataset<double> targets = Dataset<double>.Concatenate(Regression(), Regression().Slice(0, 1));
        Assert.Equal([0.5, 1.5, 2.5, 0.5], targets.Targets!);
        Assert.Null(targets.Labels);
    }

    [Fact]
    public void ConcatenateRejectsDifferentFeatureCountsAndTasks()
    {
        var features = Assert.Throws<ArgumentException>(() => Dataset<double>.Concatenate(Classification(), Regression()));
        Assert.StartsWith("second (regression data) has 2 features; first (test data) has 3.", features.Message, StringComparison.Ordinal);

        Dataset<double> regression3 = new([1, 2, 3], 1, 3, null, [1], 0, "r3");
        var task = Assert.Throws<ArgumentException>(() => Dataset<double>.Concatenate(Classification(), regression3));
        Assert.StartsWith("second (r3) is a regression dataset; first (test data) is a classification dataset.", task.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLabelsCopiesWithOtherLabels()
    {
        Dataset<double> data = Classification();
        int[] corrupted = [2, 2, 0, 1];
        Dataset<double> relabelled = data.WithLabels(corrupted);
        Assert.Equal(corrupted, relabelled.Labels);
        Assert.NotSame(corrupted, relabelled.Labels);
        Assert.Equal([0, 1, 2, 1], data.Labels!);
        Assert.Equal(data.Features, relabelled.Features);
        Assert.NotSame(data.Features, relabelled.Features);
        Assert.Equal((3, "test data (relabelled)"), (relabelled.ClassCount, relabelled.Source));
    }

    [Fact]
    public void WithLabelsChecksTheLabelsAndTheTask()
    {
        var range = Assert.Throws<ArgumentException>(() => Classification().WithLabels([0, 1, 3, 0]));
        Assert.Equal("labels", range.ParamName);
        Assert.StartsWith("labels[2] is 3; a class index must be in [0, 3).", range.Message, StringComparison.Ordinal);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Classification().WithLabels([0])).ParamName);

        var regression = Assert.Throws<InvalidOperationException>(() => Regression().WithLabels([0, 0, 0]));
        Assert.Equal("regression data is a regression dataset; it has targets, not labels to replace.", regression.Message);
    }
}
