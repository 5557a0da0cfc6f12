using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Objectives.Checking;
using Xunit;

namespace AutoHypergrad.Runtime.Tests.Objectives;

/// <summary>
/// The checks of <c>autohypergrad gradcheck</c>, as tests: for every built-in model × loss × loss hyperparameter,
/// the gradient, H·v, both cross products and ∂J/∂λ against central finite differences in double, and uᵀHv = vᵀHu.
/// </summary>
public sealed class ObjectiveDerivativeTests
{
    public static IEnumerable<object[]> Cases() => BuiltInObjectiveChecks.All().Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_derivative_matches_finite_differences(string name)
    {
        var check = BuiltInObjectiveChecks.All().Single(c => c.Name == name);
        var results = check.Run();
        Assert.NotEmpty(results);
        var failures = results.Where(r => !r.Passed).Select(r => $"{r.Check}: relative error {r.RelativeError:E2} > {r.Tolerance:E0}").ToList();
        Assert.True(failures.Count == 0, $"{name}: {string.Join("; ", failures)}");
    }

    [Fact]
    public void Every_model_and_every_loss_hyperparameter_is_covered()
    {
        var names = BuiltInObjectiveChecks.All().Select(c => c.Name).ToList();
        foreach (var model in new[] { "linear", "logistic", "softmax", "mlp-tanh", "mlp-relu", "mlp-sigmoid" })
        {
            Assert.Contains(names, n => n.StartsWith(model + "/", System.StringComparison.Ordinal));
        }

        foreach (var hyperparameter in new[] { "[none]", "[weights]", "[l2]", "[featureL2]", "[logFeatureL2]", "[multi-task]" })
        {
            Assert.Contains(names, n => n.EndsWith(hyperparameter, System.StringComparison.Ordinal));
        }

        Assert.Contains(names, n => n.Contains("/mse", System.StringComparison.Ordinal) && n.StartsWith("mlp", System.StringComparison.Ordinal));
    }
}
