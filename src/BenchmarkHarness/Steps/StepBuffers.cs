using System;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>
/// The per-element arrays one optimizer's kernels work on: the weight w, the state slots, the gradient g, a
/// derivative array for each of them (the tangents for a tangent kernel, the adjoints for an adjoint kernel), the
/// hyperparameter adjoints, temporaries for the TensorPrimitives chains and, if asked for, tangents in several
/// directions for the vector-mode tangent; all allocated once, before timing.
/// </summary>
public sealed class StepBuffers
{
    public StepBuffers(int length, int stateCount, int temporaries, int seed, int directions = 0)
    {
        var random = new Random(seed);
        W = Fill(length, random, -1, 1);
        G = Fill(length, random, -1, 1);
        WD = Fill(length, random, -1, 1);
        GD = Fill(length, random, -1, 1);
        State = new double[stateCount][];
        StateD = new double[stateCount][];
        for (int k = 0; k < stateCount; k++)
        {
            // Positive, like Adam's v or RMSProp's s: every state slot may go under a square root.
            State[k] = Fill(length, random, 0.001, 0.1);
            StateD[k] = Fill(length, random, -1, 1);
        }

        Temp = new double[temporaries][];
        for (int k = 0; k < temporaries; k++)
        {
            Temp[k] = new double[length];
        }

        IntTemp = temporaries > 0 ? new int[length] : [];
        Directions = new DirectionBuffers(length, stateCount, directions, random);
    }

    private StepBuffers(StepBuffers other)
    {
        W = (double[])other.W.Clone();
        G = (double[])other.G.Clone();
        WD = (double[])other.WD.Clone();
        GD = (double[])other.GD.Clone();
        State = Array.ConvertAll(other.State, a => (double[])a.Clone());
        StateD = Array.ConvertAll(other.StateD, a => (double[])a.Clone());
        Temp = Array.ConvertAll(other.Temp, a => new double[a.Length]);
        IntTemp = new int[other.IntTemp.Length];
        HyperBar = (double[])other.HyperBar.Clone();
        Directions = other.Directions.Clone();
    }

    public int Length => W.Length;

    public double[] W { get; }

    public double[] G { get; }

    /// <summary>ẇ for a tangent kernel, w̄ for an adjoint kernel.</summary>
    public double[] WD { get; }

    /// <summary>ġ for a tangent kernel, ḡ for an adjoint kernel.</summary>
    public double[] GD { get; }

    public double[][] State { get; }

    public double[][] StateD { get; }

    public double[][] Temp { get; }

    public int[] IntTemp { get; }

    /// <summary>ẇ, ġ and the states' tangents in k directions, for the vector-mode tangent (k = 0 unless asked for).</summary>
    public DirectionBuffers Directions { get; }

    /// <summary>The hyperparameter adjoints an adjoint kernel accumulates into, in the order of Step's [Hyper] parameters.</summary>
    public double[] HyperBar { get; } = new double[8];

    public StepBuffers Clone() => new(this);

    /// <summary>Every array a kernel may write, in a fixed order, for comparing two runs.</summary>
    public double[][] Outputs()
    {
        var outputs = new double[4 + 2 * State.Length + 2 + State.Length][];
        outputs[0] = W;
        outputs[1] = WD;
        outputs[2] = GD;
        outputs[3] = HyperBar;
        for (int k = 0; k < State.Length; k++)
        {
            outputs[4 + 2 * k] = State[k];
            outputs[5 + 2 * k] = StateD[k];
        }

        outputs[4 + 2 * State.Length] = Directions.WD;
        outputs[5 + 2 * State.Length] = Directions.GD;
        for (int k = 0; k < State.Length; k++)
        {
            outputs[6 + 2 * State.Length + k] = Directions.StateD[k];
        }

        return outputs;
    }

    public static double[] Fill(int length, Random random, double low, double high)
    {
        double[] values = new double[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }

        return values;
    }
}

/// <summary>
/// Tangents in k directions, direction-major as the vector-mode span drivers take them: k blocks of n values,
/// direction j of element i at j·n + i.
/// </summary>
public sealed class DirectionBuffers
{
    public DirectionBuffers(int length, int stateCount, int count, Random random)
    {
        Length = length;
        Count = count;
        WD = StepBuffers.Fill(count * length, random, -1, 1);
        GD = StepBuffers.Fill(count * length, random, -1, 1);
        StateD = new double[stateCount][];
        for (int k = 0; k < stateCount; k++)
        {
            StateD[k] = StepBuffers.Fill(count * length, random, -1, 1);
        }
    }

    private DirectionBuffers(DirectionBuffers other)
    {
        Length = other.Length;
        Count = other.Count;
        WD = (double[])other.WD.Clone();
        GD = (double[])other.GD.Clone();
        StateD = Array.ConvertAll(other.StateD, a => (double[])a.Clone());
    }

    /// <summary>n, the number of elements.</summary>
    public int Length { get; }

    /// <summary>k, the number of directions.</summary>
    public int Count { get; }

    public double[] WD { get; }

    public double[] GD { get; }

    public double[][] StateD { get; }

    /// <summary>ẇ in direction <paramref name="j"/>: its block of n values.</summary>
    public Span<double> WDIn(int j) => WD.AsSpan(j * Length, Length);

    /// <summary>ġ in direction <paramref name="j"/>.</summary>
    public Span<double> GDIn(int j) => GD.AsSpan(j * Length, Length);

    /// <summary>The tangent of state slot <paramref name="slot"/> in direction <paramref name="j"/>.</summary>
    public Span<double> StateDIn(int slot, int j) => StateD[slot].AsSpan(j * Length, Length);

    public DirectionBuffers Clone() => new(this);
}
