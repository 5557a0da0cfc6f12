using System;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// [Differentiable(Order = 2)]: scalar-valued methods whose generated HessianVector is checked against central
/// differences of the generated gradient (see <see cref="DerivativeChecker.CheckHessianVector"/>). Scalars and
/// read-only spans, [NoDiff] data, [Hyper] parameters whose mixed second derivatives with the weights count, loops,
/// branches taken inside loops, and the Math functions whose second derivatives differ in form from their first
/// (Exp, Log, Sqrt, Pow with an active exponent, Tanh, Sin, Cos).
/// </summary>
public static partial class SecondOrderCases
{
    /// <summary>The Rosenbrock function (1 − x)² + 100(y − x²)²; H = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]].</summary>
    /// <remarks>No [At] at the minimum (1, 1): f and its tangent vanish there, so the first-order check's tolerance
    /// (relative to max(1, |f|)) is below the truncation error of h = 1e-5 on this curved function; the Hessian at
    /// the minimum is checked by hand in <see cref="SecondOrderTests"/>.</remarks>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double Rosenbrock(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    /// <summary>½xᵀAx + bᵀx with A and b data: H = (A + Aᵀ)/2, constant; a nested loop with index arithmetic.</summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Lengths(3)]
    [Lengths(nameof(a), 9)]
    public static double QuadraticForm(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> a, [NoDiff] ReadOnlySpan<double> b)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s += 0.5 * x[i] * a[i * n + j] * x[j];
            }

            s += b[i] * x[i];
        }

        return s;
    }

    /// <summary>xᵀAx with both x and A active: the mixed second derivatives ∂²f/∂xᵢ∂Aⱼₖ are the only nonzero ones besides ∂²f/∂x².</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(3)]
    [Lengths(nameof(a), 9)]
    public static double BilinearForm(ReadOnlySpan<double> x, ReadOnlySpan<double> a)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++)
            {
                row += a[i * n + j] * x[j];
            }

            s += x[i] * row;
        }

        return s;
    }

    /// <summary>
    /// The stable log-sum-exp with a temperature, t·(m + log Σ exp(xᵢ/t − m)), m the largest xᵢ/t found by if in a
    /// loop (the path depends on which element is largest; the value does not).
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Domain(nameof(t), 0.5, 2)]
    [Lengths(4)]
    [At(1.0, 1.5, -1.0, 0.5, 1.0)]
    [At(-1.5, -2.0, 1.0, 0.5, 0.7)]
    public static double LogSumExp(ReadOnlySpan<double> x, double t)
    {
        double m = x[0] / t;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] / t > m)
            {
                m = x[i] / t;
            }
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(x[i] / t - m);
        }

        return t * (m + Math.Log(s));
    }

    /// <summary>
    /// The logistic loss of one example: z = b + w·f, loss = softplus(z) − y·z with features f and label y data. The
    /// softplus is the stable two-branch form (both branches are the same function, so the checks cross z = 0).
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(label), 0, 1)]
    [Lengths(4)]
    [At(1.0, -0.5, 0.5, 0.25, 1.0, 0.5, -1.0, 0.5, 1.0, 0.5)]
    [At(-1.0, -0.5, 0.5, 0.25, 1.0, 0.5, 1.0, 0.5, 0.0, -0.5)]
    public static double LogisticLoss(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> features, [NoDiff] double label, double bias)
    {
        double z = bias;
        for (int i = 0; i < w.Length; i++)
        {
            z += w[i] * features[i];
        }

        double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
        return softplus - label * z;
    }

    /// <summary>
    /// Ridge regression: the mean squared error of Xw against y (X row-major, m rows of w.Length) plus l2·‖w‖², with
    /// w and the hyperparameter l2 both active: ∂²f/∂wⱼ∂l2 = 2wⱼ and ∂²f/∂l2² = 0.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(l2), 0.01, 1)]
    [Lengths(3)]
    [Lengths(nameof(x), 12)]
    [Lengths(nameof(y), 4)]
    public static double Ridge(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> y, [Hyper] double l2)
    {
        int d = w.Length;
        double loss = 0;
        for (int k = 0; k < y.Length; k++)
        {
            double r = -y[k];
            for (int j = 0; j < d; j++)
            {
                r += x[k * d + j] * w[j];
            }

            loss += r * r;
        }

        double penalty = 0;
        foreach (double wj in w)
        {
            penalty += wj * wj;
        }

        return loss / y.Length + l2 * penalty;
    }

    /// <summary>Softplus of a product and tanh, multiplied by an input: every second derivative is nonzero.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double SoftplusTanh(double x, double y)
    {
        double softplus = Math.Log(1 + Math.Exp(x * y));
        return softplus + Math.Tanh(x - 0.5 * y) * y;
    }

    /// <summary>Sqrt, and Pow with an active base and an active exponent (∂²/∂base∂exponent = base^(p−1)(1 + p·log base)).</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Domain(nameof(p), 0.5, 2)]
    public static double SqrtPow(double x, double y, double p)
    {
        double r = Math.Sqrt(1 + x * x + y * y);
        return r + Math.Pow(1 + y * y, p) * x + Math.Pow(x * x + 1, 0.5 * p);
    }

    /// <summary>Division, Sin, Cos and Exp in one expression.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    public static double Trigonometric(double x, double y)
    {
        return x / (1 + y * y) + Math.Cos(x * y) * Math.Exp(-y * y) - Math.Sin(x) * y;
    }

    /// <summary>
    /// The Huber loss summed over residuals, a branch inside a loop: ½r² inside [−δ, δ] (∂²/∂r² = 1), δ(|r| − ½δ)
    /// outside (∂²/∂r² = 0, ∂²/∂r∂δ = sign r, ∂²/∂δ² = −1). Points stay away from the kinks |rᵢ| = δ.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Domain(nameof(delta), 0.5, 1.5)]
    [Lengths(5)]
    [SmoothWhere(nameof(HuberIsSmooth))]
    [At(0.2, -1.8, 1.6, -0.3, 0.9, 1.0)]
    [At(1.9, -1.9, 0.1, -0.1, 0.6, 0.75)]
    public static double HuberSum(ReadOnlySpan<double> r, [Hyper] double delta)
    {
        double s = 0;
        for (int i = 0; i < r.Length; i++)
        {
            if (Math.Abs(r[i]) <= delta)
            {
                s += 0.5 * r[i] * r[i];
            }
            else
            {
                s += delta * (Math.Abs(r[i]) - 0.5 * delta);
            }
        }

        return s;
    }

    public static bool HuberIsSmooth(ReadOnlySpan<double> r, double delta)
    {
        foreach (double ri in r)
        {
            if (!Kinks.Apart(Math.Abs(ri), delta))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Horner's rule with active coefficients: linear in c, so only the x–c and x–x blocks of H are nonzero.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.2, 1.2)]
    [Lengths(5)]
    public static double Horner(ReadOnlySpan<double> c, double x)
    {
        double r = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            r = r * x + c[i];
        }

        return r;
    }

    /// <summary>An early return in a branch on the inputs: H is that of the branch taken.</summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [SmoothWhere(nameof(PiecewiseIsSmooth))]
    [At(1.0, -0.5)]
    [At(-1.0, 0.5)]
    public static double Piecewise(double x, double y)
    {
        if (x > y)
        {
            return x * x * y + Math.Exp(y);
        }

        double s = Math.Sin(x);
        return s * y * y;
    }

    public static bool PiecewiseIsSmooth(double x, double y) => Kinks.Apart(x, y);

    /// <summary>
    /// Cross-entropy of softmax(z) against a target distribution q (data): Σ qᵢ·(lse(z) − zᵢ), the maximum by Math.Max
    /// in a loop.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-2, 2)]
    [Domain(nameof(q), 0.05, 1)]
    [Lengths(4)]
    public static double CrossEntropy(ReadOnlySpan<double> z, [NoDiff] ReadOnlySpan<double> q)
    {
        double m = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            m = Math.Max(m, z[i]);
        }

        double s = 0;
        double total = 0;
        for (int i = 0; i < z.Length; i++)
        {
            s += Math.Exp(z[i] - m);
            total += q[i];
        }

        double lse = m + Math.Log(s);
        double loss = 0;
        for (int i = 0; i < z.Length; i++)
        {
            loss += q[i] / total * (lse - z[i]);
        }

        return loss;
    }

    /// <summary>
    /// A Span&lt;T&gt; input (read, never written) and an active array: the HessianVector takes the span read-only, as the
    /// Adjoint does, and arrays for the array's direction and accumulator.
    /// </summary>
    [Differentiable(Order = 2)]
    [Domain(-1.5, 1.5)]
    [Lengths(3)]
    public static double SpanAndArrayInputs(Span<double> x, double[] a)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * x[i] * a[i] + Math.Sin(a[i] * x[i]);
        }

        return s;
    }
}
