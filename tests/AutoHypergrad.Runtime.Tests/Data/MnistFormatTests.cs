using System;
using System.IO;
using AutoHypergrad.Data;
using Xunit;
using static AutoHypergrad.Runtime.Tests.Data.IdxFiles;

namespace AutoHypergrad.Runtime.Tests.Data;

/// <summary>The IDX reader on small files written by the tests: good ones, raw and gzip, and every kind of bad one.</summary>
public sealed class MnistFormatTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ReadImagesReadsDimensionsAndPixels()
    {
        string path = _directory.WriteBytes("images", Idx(ImagesMagic, [2, 3, 4], Pattern(24)));
        IdxImages images = MnistReader.ReadImages(path);
        Assert.Equal((2, 3, 4), (images.Count, images.Rows, images.Columns));
        Assert.Equal(Pattern(24), images.Pixels);
    }

    [Fact]
    public void GzipIsRecognizedByItsMagicBytesNotByTheName()
    {
        byte[] raw = Images(3);
        string gzipWithoutExtension = _directory.WriteBytes("compressed", Gzip(raw));
        string rawWithGzExtension = _directory.WriteBytes("raw.gz", raw);
        Assert.Equal(Pattern(3 * 784), MnistReader.ReadImages(gzipWithoutExtension).Pixels);
        Assert.Equal(Pattern(3 * 784), MnistReader.ReadImages(rawWithGzExtension).Pixels);
        Assert.Equal([7, 1], MnistReader.ReadLabels(_directory.WriteBytes("labels", Gzip(Labels(7, 1)))));
    }

    [Fact]
    public void ReadScalesPixelsAndAcceptsEveryFileNameVariant()
    {
        _directory.WriteBytes("t10k-images.idx3-ubyte", Images(2));
        _directory.WriteBytes("t10k-labels-idx1-ubyte.gz", Gzip(Labels(3, 9)));
        Dataset<double> data = MnistReader.Read<double>(_directory.Path, MnistSplit.Test);
        Assert.Equal((2, 784, 10, true), (data.Count, data.FeatureCount, data.ClassCount, data.IsClassification));
        Assert.Equal([3, 9], data.Labels!);
        for (int k = 0; k < 2 * 784; k++)
        {
            Assert.Equal((k % 256) / 255.0, data.Features[k]);
        }

        Assert.Equal(1.0f, MnistReader.Read<float>(_directory.Path, MnistSplit.Test).Features[255]);
    }

    [Fact]
    public void BadMagicNumberIsReportedAtOffsetZero()
    {
        string path = _directory.WriteBytes("images", Idx(LabelsMagic, [1, 28, 28], Pattern(784)));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));
        Assert.Equal(
            $"{path}: byte offset 0: expected the magic number 0x00000803 (IDX images: unsigned bytes, 3 dimensions), found 0x00000801", e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Equal("byte offset 0", e.Location);

        string labels = _directory.WriteBytes("labels", Images(1));
        Assert.Contains(": byte offset 0: expected the magic number 0x00000801", Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(labels)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedDataIsReportedWhereTheFileEnds()
    {
        string path = _directory.WriteBytes("images", Idx(ImagesMagic, [2, 28, 28], Pattern(1000)));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));
        Assert.Equal($"{path}: byte offset 1016: expected 2 × 28 × 28 bytes of pixel data, found end of file after 1000 bytes", e.Message);
    }

    [Fact]
    public void TruncatedGzipDataIsReportedAtTheDecompressedOffset()
    {
        string path = _directory.WriteBytes("labels.gz", Gzip(Idx(LabelsMagic, [10], Pattern(4))));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(path));
        Assert.Equal($"{path}: byte offset 12 of the decompressed data: expected 10 bytes of label data, found end of file after 4 bytes", e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReportedWhereTheFileEnds()
    {
        byte[] header = Images(1)[..10];
        string path = _directory.WriteBytes("images", header);
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));
        Assert.Equal($"{path}: byte offset 10: expected the row count (a 4-byte big-endian integer), found end of file after 2 bytes", e.Message);

        string empty = _directory.WriteBytes("empty", []);
        Assert.Equal(
            $"{empty}: byte offset 0: expected the magic number 0x00000801 (IDX labels: unsigned bytes, 1 dimension), found end of file",
            Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(empty)).Message);
    }

    [Fact]
    public void CorruptGzipStreamIsADataFormatError()
    {
        byte[] compressed = Gzip(Images(50));
        compressed.AsSpan(12, 200).Fill(0xFF);
        string path = _directory.WriteBytes("images", compressed);
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith($"{path}: byte offset ", e.Message, StringComparison.Ordinal);
        Assert.Contains(" of the decompressed data: expected ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingBytesAreAnError()
    {
        string path = _directory.WriteBytes("labels", [.. Labels(1, 2, 3), 0, 0]);
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(path));
        Assert.Equal($"{path}: byte offset 11: expected end of file after the 3 bytes of label data, found 2 more bytes", e.Message);
    }

    [Fact]
    public void NegativeDimensionIsAnError()
    {
        string path = _directory.WriteBytes("labels", Idx(LabelsMagic, [-1], []));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(path));
        Assert.Equal($"{path}: byte offset 4: expected the label count, below 2^31, found 4294967295", e.Message);
    }

    [Fact]
    public void DifferentImageAndLabelCountsAreReportedInTheLabelFile()
    {
        string images = _directory.WriteBytes("train-images-idx3-ubyte", Images(3));
        string labels = _directory.WriteBytes("train-labels-idx1-ubyte", Labels(1, 2));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.Read<float>(_directory.Path, MnistSplit.Train));
        Assert.Equal($"{labels}: byte offset 4: expected 3 labels, one per image in {images}, found 2", e.Message);
    }

    [Fact]
    public void LabelAboveNineIsReportedAtItsOffset()
    {
        _directory.WriteBytes("train-images-idx3-ubyte", Images(3));
        string labels = _directory.WriteBytes("train-labels-idx1-ubyte", Labels(1, 2, 10));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.Read<float>(_directory.Path, MnistSplit.Train));
        Assert.Equal($"{labels}: byte offset 10: expected a digit label, 0 to 9, found 10", e.Message);
    }

    [Fact]
    public void ImagesOtherThan28By28AreAnError()
    {
        string images = _directory.WriteBytes("train-images-idx3-ubyte", Images(1, side: 32));
        _directory.WriteBytes("train-labels-idx1-ubyte", Labels(1));
        var e = Assert.Throws<DataFormatException>(() => MnistReader.Read<float>(_directory.Path, MnistSplit.Train));
        Assert.Equal($"{images}: byte offset 8: expected 28 × 28 images, found 32 × 32", e.Message);
    }

    [Fact]
    public void MissingFilesAreReportedWithTheNamesLookedFor()
    {
        _directory.WriteBytes("t10k-images-idx3-ubyte", Images(1));
        var e = Assert.Throws<FileNotFoundException>(() => MnistReader.Read<float>(_directory.Path, MnistSplit.Test));
        Assert.StartsWith(
            $"No MNIST test labels in '{_directory.Path}': looked for t10k-labels-idx1-ubyte, t10k-labels.idx1-ubyte, "
            + "t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte.gz.",
            e.Message,
            StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_directory.Path, "t10k-labels-idx1-ubyte"), e.FileName);

        Assert.Contains("train-images-idx3-ubyte", Assert.Throws<FileNotFoundException>(() => MnistReader.Read<float>(_directory.Path, MnistSplit.Train)).Message, StringComparison.Ordinal);

        string missingDirectory = Path.Combine(_directory.Path, "absent");
        Assert.Contains(missingDirectory, Assert.Throws<DirectoryNotFoundException>(() => MnistReader.Read<float>(missingDirectory, MnistSplit.Train)).Message, StringComparison.Ordinal);

        string missingFile = Path.Combine(_directory.Path, "absent-images");
        Assert.Contains(missingFile, Assert.Throws<FileNotFoundException>(() => MnistReader.ReadImages(missingFile)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawFileIsPreferredToGzip()
    {
        _directory.WriteBytes("train-images-idx3-ubyte", Images(1));
        _directory.WriteBytes("train-labels-idx1-ubyte", Labels(4));
        _directory.WriteBytes("train-labels-idx1-ubyte.gz", Gzip(Labels(5)));
        Assert.Equal([4], MnistReader.Read<float>(_directory.Path, MnistSplit.Train).Labels!);
    }
}
