using System;
using System.Numerics;
using AutoHypergrad.Data;

namespace AutoHypergrad.Experiments;

/// <summary>
/// The preprocessing of MNIST in the PyTorch code of the papers reproduced here: torchvision's
/// <c>Normalize((0.1307,), (0.3081,))</c> after <c>ToTensor</c>, i.e. x′ = (x − 0.1307) / 0.3081 on the pixels in [0, 1]
/// (0.1307 and 0.3081 are the mean and standard deviation of MNIST's training pixels).
/// </summary>
public static class MnistStandardization
{
    public const double Mean = 0.1307;
    public const double StandardDeviation = 0.3081;

    /// <summary>A copy of <paramref name="data"/> with every feature x replaced by (x − <see cref="Mean"/>) / <see cref="StandardDeviation"/>.</summary>
    public static Dataset<T> Apply<T>(Dataset<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T mean = T.CreateChecked(Mean);
        T scale = T.One / T.CreateChecked(StandardDeviation);
        var features = new T[data.Count * data.FeatureCount];
        var source = data.Features.AsSpan(0, features.Length);
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (source[i] - mean) * scale;
        }

        return new Dataset<T>(features, data.Count, data.FeatureCount, data.Labels, data.Targets, data.ClassCount, data.Source + ", standardized");
    }
}
