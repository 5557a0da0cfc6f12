namespace AutoHypergrad.Data;

/// <summary>The contents of an IDX image file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Columns"/> bytes.</summary>
public sealed class IdxImages
{
    internal IdxImages(byte[] pixels, int count, int rows, int columns)
    {
        Pixels = pixels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The pixels, image after image, each image row after row: <see cref="Count"/> × <see cref="Rows"/> × <see cref="Columns"/> bytes.</summary>
    public byte[] Pixels { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The number of pixel rows per image.</summary>
    public int Rows { get; }

    /// <summary>The number of pixel columns per image.</summary>
    public int Columns { get; }
}
