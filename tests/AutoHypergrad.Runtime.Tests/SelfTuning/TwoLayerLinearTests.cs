using System;
using System.Linq;
using AutoHypergrad.SelfTuning;
using Xunit;
using Xunit.Abstractions;

namespace AutoHypergrad.Runtime.Tests.SelfTuning;

/// <summary>
/// Theorem 2 of MacKay et al., "Self-Tuning Networks", ICLR 2019: for the two-layer linear network y = sᵀQx with squared
/// error and the L2 Jacobian penalty (e^λ/n)‖∂y/∂x‖² = (e^λ/n)‖Qᵀs‖², the best response is
/// Q*(λ) = σ(λv + c) ⊙_row Q0, s*(λ) = s0, with Q0 the change of basis to the data's principal components and s0 the
/// unregularized solution given Q0. With XᵀX = P diag(d²) Pᵀ, Q0 = Pᵀ, v = −1 and cᵢ = log dᵢ²: the network's
/// linear map u = Qᵀs is then the ridge solution (XᵀX + e^λ I)⁻¹Xᵀt. The STN layer fits the response around λ₀.
/// </summary>
public class TwoLayerLinearTests(ITestOutputHelper output)
{
    private const int D = 3;
    private static readonly double[] Scales = [0.7, 1.4, 2.8]; // d, so d² = 0.49, 1.96, 7.84

    [Fact]
    public void TheTheoremsGatedResponseIsTheExactBestResponse()
    {
        var problem = new LinearProblem(seed: 1);
        foreach (double lambda in new[] { -2.0, 0.0, 0.7, 3.0 })
        {
            double[] exact = problem.ExactResponse(lambda), gated = problem.GatedResponse(lambda);
            Assert.True(Distance(exact, gated) <= 1e-12 * Norm(exact), $"λ = {lambda}: {string.Join(", ", exact)} vs {string.Join(", ", gated)}");
        }
    }

    [Fact]
    public void LearnedResponseAgreesWithTheExactBestResponseNearLambda0()
    {
        const double lambda0 = 0.7; // e^λ₀ ≈ 2: the gates σ(log d² − λ) are ≈ 0.2, 0.5, 0.8, all in their sloped part
        var problem = new LinearProblem(seed: 1);
        var model = new LinearStnModel(problem);
        double[] phi = model.Initial(new Random(2));
        // λ held at λ₀ (no hyperparameter steps): the response is fitted on λ₀ + ε, ε ~ N(0, 0.5²).
        foreach (double rate in new[] { 1e-2, 1e-3, 1e-4 })
        {
            var options = new SelfTuningOptions { TrainingSteps = 2000, ValidationSteps = 0, ParameterLearningRate = rate, InitialPerturbation = 0.5, Seed = 3 };
            new SelfTuningTrainer(model, phi, [lambda0], options).Run(1);
        }

        double worst = 0;
        foreach (double lambda in new[] { -0.5, -0.25, 0.0, 0.25, 0.5 }.Select(d => lambda0 + d))
        {
            double[] exact = problem.ExactResponse(lambda), learned = model.Response(phi, lambda);
            double error = Distance(exact, learned) / Norm(exact);
            output.WriteLine($"λ = {lambda:F2}: relative error {error:E2}");
            worst = Math.Max(worst, error);
        }

        // The STN's response is affine in λ and the exact one a sigmoid in λ: over ±σ the curvature costs ~1%; the rest
        // is SGD noise from the per-example ε. 5% bounds both.
        Assert.True(worst <= 0.05, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void TrainerMovesLambdaToTheValidationOptimum()
    {
        var problem = new LinearProblem(seed: 1);
        var model = new LinearStnModel(problem);
        double best = Enumerable.Range(0, 801).Select(k => -4 + 0.01 * k).MinBy(l => problem.ValidationLoss(problem.ExactResponse(l)));
        double start = best + 1.5;
        double[] phi = model.Initial(new Random(2));
        new SelfTuningTrainer(model, phi, [start], new SelfTuningOptions { TrainingSteps = 2000, ValidationSteps = 0, ParameterLearningRate = 1e-2 }).Run(1);
        var trainer = new SelfTuningTrainer(model, phi, [start], new SelfTuningOptions { ParameterLearningRate = 3e-3, HyperparameterLearningRate = 1e-2, Seed = 5 });
        trainer.Run(600);
        double learned = trainer.Hyperparameters[0];
        output.WriteLine($"validation optimum λ* = {best:F3}, start {start:F3}, learned {learned:F3}, σ = {Math.Exp(trainer.LogSigma[0]):F3}");
        // From 1.5 away, within 0.3 of λ*: the response is only approximate, and λ is noisy.
        Assert.True(Math.Abs(learned - best) <= 0.3, $"learned λ = {learned}, optimum {best}");
    }

    private static double Norm(double[] a) => Math.Sqrt(a.Sum(v => v * v));

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());

    /// <summary>
    /// X = Z diag(d) Pᵀ with Z's columns orthonormal, so XᵀX = P diag(d²) Pᵀ exactly; t = X u_true + noise, noisy enough
    /// (1.5) that the validation loss has its minimum at a finite λ.
    /// </summary>
    private sealed class LinearProblem
    {
        public const int Train = 200, Valid = 200;

        public LinearProblem(int seed)
        {
            var random = new Random(seed);
            P = Orthonormal(random, D, D);
            double[] z = Orthonormal(random, Train, D);
            X = new double[Train * D];
            for (int r = 0; r < Train; r++)
            {
                for (int j = 0; j < D; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < D; k++)
                    {
                        sum += z[r * D + k] * Scales[k] * P[j * D + k];
                    }

                    X[r * D + j] = sum;
                }
            }

            double[] truth = [1.0, -2.0, 0.5];
            T = Enumerable.Range(0, Train).Select(r => Dot(X.AsSpan(r * D, D), truth) + 1.5 * Gaussian(random)).ToArray();
            // Validation inputs from the same distribution (rows of X are ~ N(0, P diag(d²/n) Pᵀ)), targets nearly noise-free.
            XValid = new double[Valid * D];
            for (int r = 0; r < Valid; r++)
            {
                for (int j = 0; j < D; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < D; k++)
                    {
                        sum += Gaussian(random) / Math.Sqrt(Train) * Scales[k] * P[j * D + k];
                    }

                    XValid[r * D + j] = sum;
                }
            }

            TValid = Enumerable.Range(0, Valid).Select(r => Dot(XValid.AsSpan(r * D, D), truth) + 0.1 * Gaussian(random)).ToArray();
        }

        public double[] P { get; }   // columns: the principal directions

        public double[] X { get; }

        public double[] T { get; }

        public double[] XValid { get; }

        public double[] TValid { get; }

        /// <summary>u*(λ) = (XᵀX + e^λ I)⁻¹Xᵀt = P diag(1/(d² + e^λ)) Pᵀ Xᵀt.</summary>
        public double[] ExactResponse(double lambda) => InBasis(k => 1 / (Scales[k] * Scales[k] + Math.Exp(lambda)));

        /// <summary>Q*(λ)ᵀ s0 with Q*(λ) = σ(λv + c) ⊙_row Q0, Q0 = Pᵀ, v = −1, c = log d², s0 = diag(d⁻²) Pᵀ Xᵀt.</summary>
        public double[] GatedResponse(double lambda)
            => InBasis(k => 1 / (1 + Math.Exp(-(-lambda + Math.Log(Scales[k] * Scales[k])))) / (Scales[k] * Scales[k]));

        public double ValidationLoss(double[] u)
            => Enumerable.Range(0, Valid).Average(r => Math.Pow(Dot(XValid.AsSpan(r * D, D), u) - TValid[r], 2));

        /// <summary>P diag(f(k)) Pᵀ Xᵀt.</summary>
        private double[] InBasis(Func<int, double> factor)
        {
            double[] xt = new double[D], result = new double[D];
            for (int r = 0; r < Train; r++)
            {
                for (int j = 0; j < D; j++)
                {
                    xt[j] += X[r * D + j] * T[r];
                }
            }

            for (int k = 0; k < D; k++)
            {
                double coordinate = 0;
                for (int j = 0; j < D; j++)
                {
                    coordinate += P[j * D + k] * xt[j];
                }

                for (int j = 0; j < D; j++)
                {
                    result[j] += P[j * D + k] * factor(k) * coordinate;
                }
            }

            return result;
        }

        private static double[] Orthonormal(Random random, int rows, int columns)
        {
            double[] a = Enumerable.Range(0, rows * columns).Select(_ => Gaussian(random)).ToArray();
            for (int c = 0; c < columns; c++)
            {
                for (int p = 0; p < c; p++)
                {
                    double dot = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        dot += a[r * columns + c] * a[r * columns + p];
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        a[r * columns + c] -= dot * a[r * columns + p];
                    }
                }

                double norm = Math.Sqrt(Enumerable.Range(0, rows).Sum(r => a[r * columns + c] * a[r * columns + c]));
                for (int r = 0; r < rows; r++)
                {
                    a[r * columns + c] /= norm;
                }
            }

            return a;
        }
    }

    /// <summary>
    /// y = sᵀ Q̂(λ) x with Q̂ an STN layer (the paper's eq. 9, biases included) and s a plain vector; φ = (layer, s).
    /// The Jacobian Q̂ᵀs is read off the layer itself, by probing each example's λ with eⱼ and 0:
    /// (Q̂ᵀs)ⱼ = sᵀ(Q̂ eⱼ + b̂) − sᵀb̂, so that its gradient also comes from the layer's backward pass.
    /// </summary>
    private sealed class LinearStnModel(LinearProblem problem) : IStnModel
    {
        private const int Probes = D + 2; // x, e₁…e_D, 0
        private readonly StnDenseLayer _layer = new(D, D, 1);

        public int ParameterCount => _layer.ParameterCount + D;

        public int HyperparameterCount => 1;

        public int TrainingBatchSize => LinearProblem.Train;

        public int ValidationBatchSize => LinearProblem.Valid;

        public double[] Initial(Random random)
        {
            double[] phi = new double[ParameterCount];
            _layer.Initialize(phi.AsSpan(0, _layer.ParameterCount), random);
            for (int j = 0; j < D; j++)
            {
                phi[_layer.ParameterCount + j] = 2 * random.NextDouble() - 1;
            }

            return phi;
        }

        public double TrainingLoss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, Span<double> parameterGradient, int step)
        {
            int n = LinearProblem.Train, rows = n * Probes;
            double[] input = new double[rows * D], lambda = new double[rows];
            for (int r = 0; r < n; r++)
            {
                problem.X.AsSpan(r * D, D).CopyTo(input.AsSpan(r * Probes * D, D));
                for (int j = 0; j < D; j++)
                {
                    input[(r * Probes + 1 + j) * D + j] = 1;
                }

                lambda.AsSpan(r * Probes, Probes).Fill(hyperparameters[r]);
            }

            ReadOnlySpan<double> layerParameters = parameters[.._layer.ParameterCount], s = parameters[_layer.ParameterCount..];
            double[] hidden = new double[rows * D], y = new double[rows], yBar = new double[rows];
            _layer.Forward(layerParameters, input, lambda, rows, hidden);
            for (int k = 0; k < rows; k++)
            {
                y[k] = Dot(hidden.AsSpan(k * D, D), s);
            }

            double loss = 0;
            for (int r = 0; r < n; r++)
            {
                int at = r * Probes;
                double residual = y[at] - problem.T[r], weight = Math.Exp(hyperparameters[r]) / n;
                loss += residual * residual / n;
                yBar[at] = 2 * residual / n;
                for (int j = 0; j < D; j++)
                {
                    double jacobian = y[at + 1 + j] - y[at + Probes - 1];
                    loss += weight * jacobian * jacobian / n;
                    yBar[at + 1 + j] = 2 * weight * jacobian / n;
                    yBar[at + Probes - 1] -= 2 * weight * jacobian / n;
                }
            }

            parameterGradient.Clear();
            Span<double> sBar = parameterGradient[_layer.ParameterCount..];
            double[] hiddenBar = new double[rows * D];
            for (int k = 0; k < rows; k++)
            {
                for (int j = 0; j < D; j++)
                {
                    hiddenBar[k * D + j] = yBar[k] * s[j];
                    sBar[j] += yBar[k] * hidden[k * D + j];
                }
            }

            _layer.Backward(layerParameters, input, lambda, rows, hiddenBar, parameterGradient[.._layer.ParameterCount], [], []);
            return loss;
        }

        public double ValidationLoss(ReadOnlySpan<double> parameters, ReadOnlySpan<double> hyperparameters, Span<double> hyperparameterGradient, int step)
        {
            int n = LinearProblem.Valid;
            ReadOnlySpan<double> layerParameters = parameters[.._layer.ParameterCount], s = parameters[_layer.ParameterCount..];
            double[] hidden = new double[n * D], hiddenBar = new double[n * D], layerBar = new double[_layer.ParameterCount];
            _layer.Forward(layerParameters, problem.XValid, hyperparameters, n, hidden);
            double loss = 0;
            for (int r = 0; r < n; r++)
            {
                double residual = Dot(hidden.AsSpan(r * D, D), s) - problem.TValid[r];
                loss += residual * residual / n;
                for (int j = 0; j < D; j++)
                {
                    hiddenBar[r * D + j] = 2 * residual / n * s[j];
                }
            }

            // The Jacobian penalty is a regularizer: no direct gradient; only the response through Q̂(λ).
            hyperparameterGradient.Clear();
            _layer.Backward(layerParameters, problem.XValid, hyperparameters, n, hiddenBar, layerBar, [], hyperparameterGradient);
            return loss;
        }

        /// <summary>u_φ(λ) = Q̂(λ)ᵀ s.</summary>
        public double[] Response(double[] phi, double lambda)
        {
            double[] input = new double[Probes * D], lambdas = Enumerable.Repeat(lambda, Probes).ToArray(), hidden = new double[Probes * D];
            for (int j = 0; j < D; j++)
            {
                input[(1 + j) * D + j] = 1;
            }

            _layer.Forward(phi.AsSpan(0, _layer.ParameterCount), input, lambdas, Probes, hidden);
            double[] s = phi[_layer.ParameterCount..];
            double zero = Dot(hidden.AsSpan((Probes - 1) * D, D), s);
            return Enumerable.Range(0, D).Select(j => Dot(hidden.AsSpan((1 + j) * D, D), s) - zero).ToArray();
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Gaussian(Random random) => GaussianPerturbation.NextStandardNormal(random);
}
