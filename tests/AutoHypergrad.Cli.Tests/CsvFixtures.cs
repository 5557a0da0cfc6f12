using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace AutoHypergrad.Cli.Tests;

/// <summary>
/// Small CSV data sets in a temporary folder, in <c>CsvReader</c>'s format (a header, then the class index and the
/// features): 3 classes with 4 features, each class shifted along its own feature (one set has a feature that is always 0).
/// </summary>
public sealed class CsvFixtures : IDisposable
{
    public CsvFixtures()
    {
        Write("train.csv", 60, seed: 1);
        Write("val.csv", 40, seed: 2);
        Write("large-train.csv", 1000, seed: 3);
        Write("bad-label-val.csv", 40, seed: 4, badRow: 7);
        Write("dead-feature-train.csv", 60, seed: 5, deadFeature: 3);
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("autohypergrad-cli-").FullName;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>Writes a set; <paramref name="deadFeature"/> is a feature that is 0 in every row (an MNIST border pixel).</summary>
    private void Write(string name, int rows, int seed, int badRow = -1, int deadFeature = -1)
    {
        var random = new Random(seed);
        var text = new StringBuilder("label,x1,x2,x3,x4\n");
        for (int i = 0; i < rows; i++)
        {
            int label = i % 3;
            text.Append(i == badRow ? 5 : label);
            for (int j = 0; j < 4; j++)
            {
                double x = j == deadFeature ? 0 : Gaussian(random) + (j == label ? 1.5 : 0);
                text.Append(',').Append(x.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        File.WriteAllText(Path.Combine(Directory, name), text.ToString());
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
