using System;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoHypergrad.Data;

/// <summary>
/// Reads MNIST from its IDX files (<c>train-images-idx3-ubyte</c> and the like), raw or gzip-compressed. Compression is
/// recognized by the file's first two bytes (1F 8B), not by its name.
/// </summary>
public static class MnistReader
{
    /// <summary>The number of features of an MNIST image: 28 × 28 pixels.</summary>
    public const int FeatureCount = ImageSide * ImageSide;

    /// <summary>The number of MNIST classes: the digits 0 to 9.</summary>
    public const int ClassCount = 10;

    private const int ImageSide = 28;

    /// <summary>Reads an IDX image file (magic number 0x00000803: unsigned bytes, 3 dimensions).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// The magic number is wrong, or the data is shorter or longer than the dimensions say; the message names the byte offset.
    /// </exception>
    public static IdxImages ReadImages(string path)
    {
        IdxFile file = IdxFile.Read(path, IdxFormat.Images);
        return new IdxImages(file.Data, file.Dimensions[0], file.Dimensions[1], file.Dimensions[2]);
    }

    /// <summary>Reads an IDX label file (magic number 0x00000801: unsigned bytes, 1 dimension): one byte per label.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// The magic number is wrong, or the data is shorter or longer than the dimension says; the message names the byte offset.
    /// </exception>
    public static byte[] ReadLabels(string path) => IdxFile.Read(path, IdxFormat.Labels).Data;

    /// <summary>
    /// Reads one split of MNIST from <paramref name="directory"/>: 784 features per image, the pixels scaled to [0, 1] (byte / 255),
    /// and 10 classes. The files may be named <c>train-images-idx3-ubyte</c> or <c>train-images.idx3-ubyte</c> (and
    /// <c>t10k-…</c> for the test split), each raw or with <c>.gz</c>; a raw file is preferred when both exist.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">The images or the labels are missing; the message lists the names looked for.</exception>
    /// <exception cref="DataFormatException">
    /// A file is not a valid IDX file, the images are not 28 × 28, a label is not a digit, or the two files hold different counts.
    /// </exception>
    public static Dataset<T> Read<T>(string directory, MnistSplit split)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The MNIST directory '{directory}' does not exist.");
        }

        IdxFile images = IdxFile.Read(FindRequired(directory, split, IdxFormat.Images), IdxFormat.Images);
        IdxFile labels = IdxFile.Read(FindRequired(directory, split, IdxFormat.Labels), IdxFormat.Labels);

        int count = images.Dimensions[0];
        if (images.Dimensions[1] != ImageSide || images.Dimensions[2] != ImageSide)
        {
            throw images.Error(8, $"{ImageSide} × {ImageSide} images", $"{images.Dimensions[1]} × {images.Dimensions[2]}");
        }

        if (labels.Dimensions[0] != count)
        {
            throw labels.Error(4, $"{count} labels, one per image in {images.Path}", $"{labels.Dimensions[0]}");
        }

        var classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            classes[i] = labels.Data[i];
            if (classes[i] >= ClassCount)
            {
                throw labels.Error(labels.DataOffset + i, "a digit label, 0 to 9", $"{classes[i]}");
            }
        }

        var features = new T[images.Data.Length];
        TensorPrimitives.ConvertTruncating<byte, T>(images.Data, features);
        TensorPrimitives.Divide(features, T.CreateTruncating(byte.MaxValue), features);
        return new Dataset<T>(features, count, FeatureCount, classes, null, ClassCount, $"MNIST {split} ({images.Path}, {labels.Path})");
    }

    /// <summary>Whether <paramref name="directory"/> holds all four MNIST files, under any of the names <see cref="Read"/> accepts.</summary>
    internal static bool HasAllFiles(string directory) =>
        Enum.GetValues<MnistSplit>().All(split => Find(directory, split, IdxFormat.Images) is not null && Find(directory, split, IdxFormat.Labels) is not null);

    private static string FindRequired(string directory, MnistSplit split, IdxFormat format)
    {
        string[] names = CandidateNames(split, format);
        return Find(directory, split, format) ?? throw new FileNotFoundException(
            $"No MNIST {split.ToString().ToLowerInvariant()} {format.Contents} in '{directory}': looked for {string.Join(", ", names)}. "
            + "The AutoHypergrad repository's scripts/get-mnist.sh fetches them.",
            Path.Combine(directory, names[0]));
    }

    private static string? Find(string directory, MnistSplit split, IdxFormat format) =>
        CandidateNames(split, format).Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    /// <summary>The accepted file names, in order of preference: <c>train-images-idx3-ubyte</c>, <c>train-images.idx3-ubyte</c>, then both with <c>.gz</c>.</summary>
    private static string[] CandidateNames(MnistSplit split, IdxFormat format)
    {
        string prefix = split == MnistSplit.Train ? "train" : "t10k";
        string type = $"idx{format.DimensionNames.Length}-ubyte";
        string[] raw = [$"{prefix}-{format.Contents}-{type}", $"{prefix}-{format.Contents}.{type}"];
        return [.. raw, .. raw.Select(name => name + ".gz")];
    }
}
