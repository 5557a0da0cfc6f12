using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace AutoHypergrad.Runtime.Tests.Data;

/// <summary>Builds IDX files byte by byte, for tests of what the reader does with good and bad ones.</summary>
internal static class IdxFiles
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>The magic number, each dimension as a big-endian 32-bit integer, then the data.</summary>
    public static byte[] Idx(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        }

        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary><paramref name="count"/> images of <paramref name="side"/> × <paramref name="side"/> pixels, pixel k being k mod 256.</summary>
    public static byte[] Images(int count, int side = 28) => Idx(ImagesMagic, [count, side, side], Pattern(count * side * side));

    public static byte[] Labels(params byte[] labels) => Idx(LabelsMagic, [labels.Length], labels);

    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int k = 0; k < length; k++)
        {
            bytes[k] = (byte)k;
        }

        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(raw);
        }

        return compressed.ToArray();
    }

    /// <summary>The file's bytes, decompressed when they start with the gzip magic bytes.</summary>
    public static byte[] ReadDecompressed(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes is not [0x1F, 0x8B, ..])
        {
            return bytes;
        }

        using var output = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            gzip.CopyTo(output);
        }

        return output.ToArray();
    }
}
