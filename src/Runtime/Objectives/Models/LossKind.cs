namespace AutoHypergrad.Objectives.Models;

/// <summary>The loss of one example, averaged over the batch.</summary>
public enum LossKind
{
    /// <summary>(ŷ − y)²: regression, one output.</summary>
    MeanSquaredError,

    /// <summary>−log p(y): softmax over the outputs, or the logistic function of one output for two classes.</summary>
    CrossEntropy,
}
