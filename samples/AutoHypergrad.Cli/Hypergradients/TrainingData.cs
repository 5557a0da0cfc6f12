using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoHypergrad.Data;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>
/// The training and validation sets of a run, read from CSV, LIBSVM or MNIST, with the validation labels mapped to
/// the training set's classes (a LIBSVM file's class indices depend on the labels it holds).
/// </summary>
/// <param name="Training">The training set.</param>
/// <param name="Validation">The validation set, with the training set's classes.</param>
internal sealed record TrainingData(Dataset<double> Training, Dataset<double> Validation)
{
    /// <summary>The forms of a data argument, for help.</summary>
    public const string Forms = "a .csv file (label first), a LIBSVM file (.svm, .libsvm, .txt), or mnist:train[:START-END] / mnist:test[:START-END]";

    /// <summary>Reads both sets: classification unless <paramref name="regression"/>.</summary>
    /// <exception cref="InvalidDataException">The sets do not fit together: feature counts, or a validation label the training set lacks.</exception>
    public static TrainingData Load(string train, string validation, bool regression)
    {
        var task = regression ? DataTask.Regression : DataTask.Classification;
        var (training, trainingLabels) = Read(train, task, featureCount: null);
        var (held, heldLabels) = Read(validation, task, training.FeatureCount);
        if (held.FeatureCount != training.FeatureCount)
        {
            throw new InvalidDataException($"{validation} has {held.FeatureCount} features; the training set {train} has {training.FeatureCount}.");
        }

        if (regression)
        {
            return new TrainingData(training, held);
        }

        // Class c of the validation file is the label heldLabels[c]: find it among the training labels.
        var labels = new int[held.Count];
        for (int i = 0; i < held.Count; i++)
        {
            double label = heldLabels[held.Labels![i]];
            labels[i] = Array.IndexOf(trainingLabels, label);
            if (labels[i] < 0)
            {
                throw new InvalidDataException(FormattableString.Invariant(
                    $"{validation}: example {i + 1} has the label {label}, which is not a class of the training set {train} ({Describe(trainingLabels)})."));
            }
        }

        return new TrainingData(training, new Dataset<double>(held.Features, held.Count, held.FeatureCount, labels, null, training.ClassCount, held.Source));
    }

    /// <summary>A data set and, for classification, the label of each class index.</summary>
    private static (Dataset<double> Data, double[] Labels) Read(string argument, DataTask task, int? featureCount)
    {
        if (argument.StartsWith("mnist:", StringComparison.OrdinalIgnoreCase))
        {
            return (ReadMnist(argument), Enumerable.Range(0, MnistReader.ClassCount).Select(c => (double)c).ToArray());
        }

        string extension = Path.GetExtension(argument).ToLowerInvariant();
        if (extension is ".svm" or ".libsvm" or ".txt")
        {
            var data = LibSvmReader.Read<double>(argument, task, out double[] labels, featureCount);
            return (data, labels);
        }

        if (extension == ".csv")
        {
            var data = CsvReader.Read<double>(argument, task);
            return (data, Enumerable.Range(0, data.ClassCount).Select(c => (double)c).ToArray());
        }

        throw new UsageException($"'{argument}' is not a data set: give {Forms}.");
    }

    private static Dataset<double> ReadMnist(string argument)
    {
        string[] parts = argument.Split(':');
        var split = parts[1].ToLowerInvariant() switch
        {
            "train" => MnistSplit.Train,
            "test" => MnistSplit.Test,
            _ => throw new UsageException($"'{argument}': the MNIST split is train or test, not '{parts[1]}'."),
        };
        if (parts.Length > 3)
        {
            throw new UsageException($"'{argument}' is not mnist:train[:START-END] or mnist:test[:START-END].");
        }

        string directory = MnistLocator.Find()
            ?? throw new FileNotFoundException(
                $"MNIST was not found in {string.Join(" or ", MnistLocator.Candidates())}; set {MnistLocator.EnvironmentVariable} to its directory.");
        var data = MnistReader.Read<double>(directory, split);
        if (parts.Length == 2)
        {
            return data;
        }

        string[] range = parts[2].Split('-');
        if (range.Length != 2
            || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int start)
            || !int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out int end)
            || start >= end || end > data.Count)
        {
            throw new UsageException($"'{argument}': the range is START-END with 0 ≤ START < END ≤ {data.Count} (END excluded).");
        }

        return data.Slice(start, end - start);
    }

    private static string Describe(double[] labels)
        => labels.Length <= 12
            ? string.Join(", ", labels.Select(l => l.ToString(CultureInfo.InvariantCulture)))
            : FormattableString.Invariant($"{labels.Length} labels from {labels[0]} to {labels[^1]}");
}
