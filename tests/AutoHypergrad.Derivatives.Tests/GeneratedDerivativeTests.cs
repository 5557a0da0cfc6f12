using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>
/// Every [Differentiable] method of this assembly (the cases under Cases/) is its own test case in each theory.
/// See <see cref="DerivativeChecker"/> for what is checked and with which tolerances.
/// </summary>
public sealed class GeneratedDerivativeTests
{
    [Theory]
    [MemberData(nameof(CaseCatalog.All), MemberType = typeof(CaseCatalog))]
    public void GeneratedSignaturesFollowTheContract(string method)
    {
        IReadOnlyList<string> problems = DerivativeChecker.SignatureProblems(CaseCatalog.Get(method));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(CaseCatalog.Double), MemberType = typeof(CaseCatalog))]
    public void TangentMatchesCentralFiniteDifferences(string method) =>
        DerivativeChecker.CheckTangentAgainstFiniteDifferences(CaseCatalog.Get(method));

    [Theory]
    [MemberData(nameof(CaseCatalog.Float), MemberType = typeof(CaseCatalog))]
    public void FloatCaseMatchesItsDoubleTwin(string method) =>
        DerivativeChecker.CheckAgainstDoubleTwin(CaseCatalog.Get(method));

    [Theory]
    [MemberData(nameof(CaseCatalog.All), MemberType = typeof(CaseCatalog))]
    public void AdjointPassesTheDotProductTest(string method) =>
        DerivativeChecker.CheckAdjointAgainstTangent(CaseCatalog.Get(method));

    [Theory]
    [MemberData(nameof(CaseCatalog.All), MemberType = typeof(CaseCatalog))]
    public void AdjointFollowsTheCallingContract(string method) =>
        DerivativeChecker.CheckAdjointContract(CaseCatalog.Get(method));

    [Theory]
    [MemberData(nameof(CaseCatalog.All), MemberType = typeof(CaseCatalog))]
    public void TangentValuesEqualThePrimal(string method) =>
        DerivativeChecker.CheckTangentMatchesPrimal(CaseCatalog.Get(method));
}

/// <summary>The catalog itself: nothing [Differentiable] escapes the checker.</summary>
public sealed class CaseCatalogTests
{
    [Fact]
    public void EveryDifferentiableMethodHasAGeneratedTangentAndAdjoint()
    {
        List<string> missing = CaseCatalog.DeclaredMethods()
            .Select(m => new CaseMethod(m))
            .Where(c => c.Tangent is null || c.Adjoint is null)
            .Select(c => c.Id + ": " + string.Join("; ", DerivativeChecker.SignatureProblems(c)))
            .ToList();
        Assert.True(CaseCatalog.Methods.Any(), "No [Differentiable] method found in the test assembly.");
        Assert.True(missing.Count == 0, "Missing or mis-shaped generated methods:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void CaseNamesAreUniqueAndCasesAreStatic()
    {
        List<MethodInfo> declared = CaseCatalog.DeclaredMethods().ToList();
        Assert.All(declared, m => Assert.True(m.IsStatic, $"{m.DeclaringType!.Name}.{m.Name} is not static."));
        List<string> duplicates = declared.GroupBy(m => m.DeclaringType!.Name + "." + m.Name)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Overloaded cases (ambiguous test names): " + string.Join(", ", duplicates));
    }

    [Fact]
    public void CasesCoverBothRealTypesRefStateAndVoid()
    {
        List<CaseMethod> cases = CaseCatalog.Methods.ToList();
        Assert.Contains(cases, c => c.IsFloat);
        Assert.Contains(cases, c => c.RealType == typeof(double));
        Assert.Contains(cases, c => !c.ReturnsValue && c.Parameters.Any(p => p.IsOutput));
        Assert.Contains(cases, c => c.Parameters.Count(p => p.IsOutput && !p.IsSequence) > 1);
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsNoDiff));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsHyper));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.Type == typeof(int)));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsActive && p.Shape == ParameterShape.ReadOnlySpan));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsActive && p.Shape == ParameterShape.Span));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsActive && p.Shape == ParameterShape.Array));
        Assert.Contains(cases, c => c.Parameters.Any(p => p.IsActive && p.IsOut));
        Assert.Contains(cases, c => c.IsFloat && c.HasActiveSequences);
    }
}
