using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace AutoHypergrad.Data;

/// <summary>
/// The layout of one kind of IDX file of unsigned bytes: its magic number (0x0000, the type 0x08, the number of dimensions),
/// what it holds (<c>images</c>, as in the file name <c>train-images-idx3-ubyte</c>), and what its dimensions and data are called in messages.
/// </summary>
internal sealed record IdxFormat(int Magic, string Description, string Contents, string DataName, string[] DimensionNames)
{
    public static readonly IdxFormat Images =
        new(0x00000803, "IDX images: unsigned bytes, 3 dimensions", "images", "pixel", ["image count", "row count", "column count"]);

    public static readonly IdxFormat Labels = new(0x00000801, "IDX labels: unsigned bytes, 1 dimension", "labels", "label", ["label count"]);
}

/// <summary>
/// An IDX file read whole: its dimensions and data, and what it takes to report an error at a byte offset in it.
/// The file may be raw or gzip-compressed (recognized by its first two bytes, 1F 8B); offsets are into the decompressed bytes.
/// </summary>
internal sealed class IdxFile
{
    private const int GzipMagic0 = 0x1F;
    private const int GzipMagic1 = 0x8B;

    private IdxFile(string path, bool compressed, int[] dimensions, byte[] data)
    {
        Path = path;
        Compressed = compressed;
        Dimensions = dimensions;
        Data = data;
    }

    public string Path { get; }

    public bool Compressed { get; }

    public int[] Dimensions { get; }

    public byte[] Data { get; }

    /// <summary>The byte offset of the data: after the magic number and one 4-byte size per dimension.</summary>
    public int DataOffset => 4 + 4 * Dimensions.Length;

    /// <summary>Reads the file, checking its magic number, its dimensions, and that it holds exactly the data they call for.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not an IDX file of this format.</exception>
    public static IdxFile Read(string path, IdxFormat format)
    {
        using Stream stream = OpenDecompressed(path, out bool compressed);
        var reader = new Reader(stream, path, compressed);

        string expectedMagic = $"the magic number 0x{format.Magic:X8} ({format.Description})";
        int magic = reader.ReadBigEndianInt32(expectedMagic);
        if (magic != format.Magic)
        {
            throw Error(path, compressed, 0, expectedMagic, $"0x{magic:X8}");
        }

        var dimensions = new int[format.DimensionNames.Length];
        long dataLength = 1;
        for (int d = 0; d < dimensions.Length; d++)
        {
            long offset = reader.Offset;
            string name = format.DimensionNames[d];
            int size = reader.ReadBigEndianInt32($"the {name} (a 4-byte big-endian integer)");
            if (size < 0)
            {
                throw Error(path, compressed, offset, $"the {name}, below 2^31", ((uint)size).ToString(CultureInfo.InvariantCulture));
            }

            dimensions[d] = size;
            dataLength *= size;
            if (dataLength > Array.MaxLength)
            {
                throw Error(path, compressed, offset, $"dimensions whose product is at most {Array.MaxLength} bytes", string.Join(" × ", dimensions[..(d + 1)]));
            }
        }

        string shape = $"{string.Join(" × ", dimensions)} bytes of {format.DataName} data";
        var data = new byte[dataLength];
        reader.ReadExactly(data, shape);
        long extra = reader.CountRemaining();
        if (extra > 0)
        {
            throw Error(path, compressed, reader.Offset, $"end of file after the {shape}", $"{extra} more bytes");
        }

        return new IdxFile(path, compressed, dimensions, data);
    }

    /// <summary>An error at <paramref name="offset"/> in this file.</summary>
    public DataFormatException Error(long offset, string expected, string found) => Error(Path, Compressed, offset, expected, found);

    private static DataFormatException Error(string path, bool compressed, long offset, string expected, string found, Exception? inner = null) =>
        new(path, compressed ? $"byte offset {offset} of the decompressed data" : $"byte offset {offset}", expected, found, inner);

    private static Stream OpenDecompressed(string path, out bool compressed)
    {
        FileStream file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        compressed = file.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && start[0] == GzipMagic0 && start[1] == GzipMagic1;
        file.Position = 0;
        return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Reads a stream from its start, keeping the offset, and turns an early end or corrupt gzip data into a <see cref="DataFormatException"/>.</summary>
    private sealed class Reader(Stream stream, string path, bool compressed)
    {
        public long Offset { get; private set; }

        public int ReadBigEndianInt32(string expected)
        {
            Span<byte> bytes = stackalloc byte[4];
            ReadExactly(bytes, expected);
            return BinaryPrimitives.ReadInt32BigEndian(bytes);
        }

        public void ReadExactly(Span<byte> destination, string expected)
        {
            int read;
            try
            {
                read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw CorruptGzip(e, expected);
            }

            Offset += read;
            if (read < destination.Length)
            {
                throw Error(path, compressed, Offset, expected, read == 0 ? "end of file" : $"end of file after {read} bytes");
            }
        }

        public long CountRemaining()
        {
            var buffer = new byte[81920];
            long count = 0;
            try
            {
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    count += read;
                }
            }
            catch (InvalidDataException e)
            {
                throw CorruptGzip(e, "end of file");
            }

            return count;
        }

        private DataFormatException CorruptGzip(InvalidDataException e, string expected) =>
            Error(path, compressed, Offset, expected, $"corrupt gzip data ({e.Message})", e);
    }
}
