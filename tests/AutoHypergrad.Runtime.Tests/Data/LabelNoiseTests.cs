using System;
using System.Linq;
using AutoHypergrad.Data;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Data;

public sealed class LabelNoiseTests
{
    [Theory]
    [InlineData(5000, 2500, 10)]
    [InlineData(100, 0, 10)]
    [InlineData(100, 100, 2)]
    [InlineData(37, 11, 3)]
    public void Changes_exactly_count_labels_each_to_another_class(int rows, int count, int classes)
    {
        int[] labels = Enumerable.Range(0, rows).Select(i => (i * 7) % classes).ToArray();
        var noisy = LabelNoise.Corrupt(labels, classes, count, seed: 42);

        Assert.Equal(count, noisy.Corrupted.Count(c => c));
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(noisy.Corrupted[i], noisy.Labels[i] != labels[i]);
            Assert.InRange(noisy.Labels[i], 0, classes - 1);
        }
    }

    [Fact]
    public void The_seed_fixes_the_rows_and_classes_and_the_new_classes_cover_all_others()
    {
        int[] labels = new int[5000];
        var first = LabelNoise.Corrupt(labels, 10, 2500, seed: 7);
        var again = LabelNoise.Corrupt(labels, 10, 2500, seed: 7);
        var other = LabelNoise.Corrupt(labels, 10, 2500, seed: 8);

        Assert.Equal(first.Labels, again.Labels);
        Assert.NotEqual(first.Labels, other.Labels);
        Assert.Equal(Enumerable.Range(1, 9), first.Labels.Where((_, i) => first.Corrupted[i]).Distinct().Order());
    }

    [Fact]
    public void Refuses_more_rows_than_there_are_and_labels_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Corrupt(new int[3], 10, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Corrupt([0, 10], 10, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Corrupt([0, 1], 1, 1, 1));
    }
}
