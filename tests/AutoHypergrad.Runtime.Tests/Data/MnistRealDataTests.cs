using System;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using AutoHypergrad.Data;
using Xunit;
using static AutoHypergrad.Runtime.Tests.Data.IdxFiles;

namespace AutoHypergrad.Runtime.Tests.Data;

/// <summary>The real MNIST (see <see cref="MnistFixture"/> for where it is looked for).</summary>
public sealed class MnistRealDataTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    /// <summary>
    /// The sum of the 47,040,000 pixel bytes of train-images-idx3-ubyte, computed independently of this library with
    /// <c>gzip -dc train-images-idx3-ubyte.gz | od -An -v -tu1 -j16 -w16 | awk '{for(i=1;i&lt;=NF;i++)s+=$i} END{printf "%d\n", s}'</c>
    /// and, with the same result, in Python: <c>sum(gzip.open('train-images-idx3-ubyte.gz').read()[16:])</c>.
    /// </summary>
    private const long TrainPixelSum = 1_567_298_545;

    /// <summary>The same for t10k-images-idx3-ubyte, computed in Python.</summary>
    private const long TestPixelSum = 264_923_200;

    [Fact]
    public void SplitsHaveMnistsShape()
    {
        Assert.Equal((60000, 784, 10, true), (mnist.Train.Count, mnist.Train.FeatureCount, mnist.Train.ClassCount, mnist.Train.IsClassification));
        Assert.Equal((10000, 784, 10, true), (mnist.Test.Count, mnist.Test.FeatureCount, mnist.Test.ClassCount, mnist.Test.IsClassification));
        Assert.Null(mnist.Train.Targets);
    }

    [Fact]
    public void FirstLabelsAreTheKnownDigits()
    {
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], mnist.Train.Labels![..10]);
        Assert.Equal([7, 2, 1, 0, 4], mnist.Test.Labels![..5]);
    }

    [Fact]
    public void EveryDigitOccurs()
    {
        Assert.Equal(Enumerable.Range(0, 10), mnist.Train.Labels!.Distinct().Order());
        Assert.Equal(Enumerable.Range(0, 10), mnist.Test.Labels!.Distinct().Order());
    }

    [Fact]
    public void PixelsAreScaledToTheUnitInterval()
    {
        foreach (Dataset<float> split in new[] { mnist.Train, mnist.Test })
        {
            Assert.Equal(0f, TensorPrimitives.Min<float>(split.Features));
            Assert.Equal(1f, TensorPrimitives.Max<float>(split.Features));
        }
    }

    [Fact]
    public void PixelSumsMatchTheIndependentlyComputedChecksums()
    {
        Assert.Equal(TrainPixelSum, SumOfBytes(mnist.Train));
        Assert.Equal(TestPixelSum, SumOfBytes(mnist.Test));

        IdxImages images = MnistReader.ReadImages(FindFile("train-images-idx3-ubyte"));
        Assert.Equal((60000, 28, 28), (images.Count, images.Rows, images.Columns));
        Assert.Equal(TrainPixelSum, images.Pixels.Sum(pixel => (long)pixel));
        Assert.Equal(mnist.Train.Labels!.Select(label => (byte)label), MnistReader.ReadLabels(FindFile("train-labels-idx1-ubyte")));
    }

    [Fact]
    public void RawAndGzipFilesGiveTheSameDataset()
    {
        using var raw = new TempDirectory();
        using var compressed = new TempDirectory();
        foreach (string name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            byte[] bytes = ReadDecompressed(FindFile(name));
            raw.WriteBytes(name, bytes);
            compressed.WriteBytes(name + ".gz", Gzip(bytes));
        }

        Dataset<float> fromRaw = MnistReader.Read<float>(raw.Path, MnistSplit.Test);
        Dataset<float> fromGzip = MnistReader.Read<float>(compressed.Path, MnistSplit.Test);
        foreach (Dataset<float> data in new[] { fromRaw, fromGzip })
        {
            Assert.Equal(mnist.Test.Features, data.Features);
            Assert.Equal(mnist.Test.Labels, data.Labels);
        }
    }

    [Fact]
    public void DoubleAndFloatAgree()
    {
        Dataset<double> test = MnistReader.Read<double>(mnist.Directory, MnistSplit.Test);
        Assert.Equal(mnist.Test.Features, test.Convert<float>().Features);
    }

    /// <summary>Σ round(255 · pixel) over the dataset: the sum of the bytes the pixels were scaled from.</summary>
    private static long SumOfBytes(Dataset<float> data) => data.Features.Sum(pixel => (long)MathF.Round(pixel * 255f));

    /// <summary>The MNIST file with this standard name, in whichever variant the located directory has.</summary>
    private string FindFile(string name)
    {
        string dotted = name.Replace("s-idx", "s.idx", StringComparison.Ordinal);
        return new[] { name, dotted, name + ".gz", dotted + ".gz" }.Select(candidate => Path.Combine(mnist.Directory, candidate)).First(File.Exists);
    }
}
