using System;
using System.Numerics;

namespace AutoHypergrad.Objectives.Regularizers;

/// <summary>
/// The multi-task regularizer of Evgeniou, Micchelli and Pontil (2005) used by Franceschi et al. (2017):
/// Ω_{A,ρ}(W) = Σ_{j,k} A_jk·‖w_j − w_k‖² + ρ·Σ_k ‖w_k‖², where w_k is column k of the last weight matrix (the
/// weights of task, or class, k). A (K × K, row-major) and ρ are hyperparameters. With S = A + Aᵀ and its Laplacian
/// L = diag(S·1) − S, ∇_W Ω = 2·W·L + 2ρ·W, which is linear in W: the Hessian is v ↦ 2·V·L + 2ρ·V.
/// </summary>
internal sealed class MultiTaskRegularizer<T> : IRegularizer<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly T Two = T.CreateTruncating(2);
    private readonly int _matrixOffset;
    private readonly int _rhoOffset;
    private readonly WeightMatrix _tasks;

    public MultiTaskRegularizer(int matrixOffset, int rhoOffset, WeightMatrix tasks)
    {
        _matrixOffset = matrixOffset;
        _rhoOffset = rhoOffset;
        _tasks = tasks;
    }

    private int K => _tasks.Columns;

    public T Value(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda)
    {
        T sum = T.Zero;
        for (int j = 0; j < K; j++)
        {
            for (int k = 0; k < K; k++)
            {
                sum += lambda[_matrixOffset + j * K + k] * Distance(w, j, k);
            }

            sum += lambda[_rhoOffset] * Inner(w, w, j, j);
        }

        return sum;
    }

    public void AddGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> gradient)
        => AddLaplacian(lambda.Slice(_matrixOffset, K * K), lambda[_rhoOffset], w, gradient);

    public void AddHessianVector(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> result)
        => AddLaplacian(lambda.Slice(_matrixOffset, K * K), lambda[_rhoOffset], v, result);

    public void AddCrossTangent(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> lambdaDot, Span<T> result)
        => AddLaplacian(lambdaDot.Slice(_matrixOffset, K * K), lambdaDot[_rhoOffset], w, result);

    public void AddCrossAdjoint(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, ReadOnlySpan<T> v, Span<T> lambdaBar)
    {
        // ∂⟨∇_W Ω, V⟩/∂A_jk = 2⟨w_j − w_k, v_j − v_k⟩; ∂/∂ρ = 2⟨W, V⟩.
        for (int j = 0; j < K; j++)
        {
            for (int k = 0; k < K; k++)
            {
                lambdaBar[_matrixOffset + j * K + k] += Two * (Inner(w, v, j, j) - Inner(w, v, j, k) - Inner(w, v, k, j) + Inner(w, v, k, k));
            }

            lambdaBar[_rhoOffset] += Two * Inner(w, v, j, j);
        }
    }

    public void AddLambdaGradient(ReadOnlySpan<T> w, ReadOnlySpan<T> lambda, Span<T> lambdaBar)
    {
        for (int j = 0; j < K; j++)
        {
            for (int k = 0; k < K; k++)
            {
                lambdaBar[_matrixOffset + j * K + k] += Distance(w, j, k);
            }

            lambdaBar[_rhoOffset] += Inner(w, w, j, j);
        }
    }

    /// <summary>result[W] += 2·X·L(A) + 2ρ·X, X the columns of <paramref name="x"/> at the task matrix's place.</summary>
    private void AddLaplacian(ReadOnlySpan<T> a, T rho, ReadOnlySpan<T> x, Span<T> result)
    {
        Span<T> laplacian = K <= 64 ? stackalloc T[K * K] : new T[K * K];
        for (int j = 0; j < K; j++)
        {
            T degree = T.Zero;
            for (int k = 0; k < K; k++)
            {
                T s = a[j * K + k] + a[k * K + j];
                laplacian[j * K + k] = -s;
                degree += s;
            }

            laplacian[j * K + j] += degree;
        }

        for (int r = 0; r < _tasks.Rows; r++)
        {
            var row = x.Slice(_tasks.Offset + r * K, K);
            var target = result.Slice(_tasks.Offset + r * K, K);
            for (int k = 0; k < K; k++)
            {
                T sum = rho * row[k];
                for (int j = 0; j < K; j++)
                {
                    sum += row[j] * laplacian[j * K + k];
                }

                target[k] += Two * sum;
            }
        }
    }

    /// <summary>⟨x_j, y_k⟩ over the columns j of x and k of y.</summary>
    private T Inner(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int j, int k)
    {
        T sum = T.Zero;
        for (int r = 0; r < _tasks.Rows; r++)
        {
            int row = _tasks.Offset + r * K;
            sum += x[row + j] * y[row + k];
        }

        return sum;
    }

    /// <summary>‖x_j − x_k‖².</summary>
    private T Distance(ReadOnlySpan<T> x, int j, int k)
    {
        T sum = T.Zero;
        for (int r = 0; r < _tasks.Rows; r++)
        {
            int row = _tasks.Offset + r * K;
            T d = x[row + j] - x[row + k];
            sum += d * d;
        }

        return sum;
    }
}
