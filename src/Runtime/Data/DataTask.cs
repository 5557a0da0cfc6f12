namespace AutoHypergrad.Data;

/// <summary>What a dataset's rows are labelled with.</summary>
public enum DataTask
{
    /// <summary>Each row has a class index in [0, class count).</summary>
    Classification,

    /// <summary>Each row has a real-valued target.</summary>
    Regression,
}
