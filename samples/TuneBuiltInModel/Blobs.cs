using System;
using AutoHypergrad.Data;

namespace TuneBuiltInModel;

/// <summary>
/// Three overlapping Gaussian classes in ten dimensions: class c's examples are its centre (±1 in each coordinate,
/// the same for every call) plus standard normal noise scaled by 1.5, the labels in turn 0, 1, 2.
/// </summary>
public static class Blobs
{
    public const int Classes = 3;
    public const int Features = 10;

    public static Dataset<double> Make(int rows, int seed)
    {
        var centres = new Random(0);
        var centre = new double[Classes * Features];
        for (int i = 0; i < centre.Length; i++)
        {
            centre[i] = centres.Next(2) == 0 ? -1 : 1;
        }

        var random = new Random(seed);
        var x = new double[rows * Features];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % Classes;
            for (int j = 0; j < Features; j++)
            {
                // Box-Muller: one standard normal from two uniforms in (0, 1].
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                x[(i * Features) + j] = centre[(labels[i] * Features) + j] + (1.5 * normal);
            }
        }

        return new Dataset<double>(x, rows, Features, labels, targets: null, Classes, source: $"three Gaussian classes ({rows} rows, seed {seed})");
    }
}
