using System;

namespace AutoHypergrad.Engines.Implicit;

/// <summary>
/// The inner problem or the linear system H·q = ∇_w E was not solved to its tolerance, so the implicit hypergradient
/// would be wrong by an unknown amount: it is not returned. The message names the stage, the residual reached, the
/// tolerance, the iterations and the hyperparameters.
/// </summary>
public sealed class ImplicitSolveException : Exception
{
    /// <summary>A failed <paramref name="stage"/>.</summary>
    public ImplicitSolveException(string stage, double residual, double tolerance, int iterations, string message)
        : base(message)
    {
        Stage = stage;
        Residual = residual;
        Tolerance = tolerance;
        Iterations = iterations;
    }

    /// <summary><c>inner problem</c> or <c>linear solve</c>.</summary>
    public string Stage { get; }

    /// <summary>What was reached: ‖∇_w J‖ relative to its scale, or ‖Hq − b‖/‖b‖.</summary>
    public double Residual { get; }

    /// <summary>What was asked for.</summary>
    public double Tolerance { get; }

    /// <summary>The iterations spent (Newton iterations, or the linear solvers' together).</summary>
    public int Iterations { get; }
}
