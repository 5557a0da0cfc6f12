using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Emit;

/// <summary>
/// How a generated factory or constructor takes a [Hyper] parameter's value (an optimizer's <c>{Method}Optimizer</c>
/// and an objective's <c>{Method}Objective</c> alike): named as in the method, required without a declared default and
/// optional with one, resolved at run time against that default.
/// </summary>
internal static class HyperparameterSyntax
{
    public const string Value = "global::AutoHypergrad.HyperparameterValue";

    /// <summary>The items in the order of the parameters: the required ones, then the optional ones (C# wants those last).</summary>
    public static IEnumerable<T> InParameterOrder<T>(IEnumerable<T> items, System.Func<T, StepHyperparameter> hyperparameter)
    {
        var list = items.ToList();
        return list.Where(item => !hyperparameter(item).HasDefault).Concat(list.Where(item => hyperparameter(item).HasDefault));
    }

    /// <summary><c>HyperparameterValue lr</c>, or <c>HyperparameterValue? lr = null</c> where [Hyper] declares a default.</summary>
    public static string Parameter(StepHyperparameter h) => h.HasDefault ? $"{Value}? {h.Name} = null" : $"{Value} {h.Name}";

    /// <summary>The declared default as a C# literal (<c>double.NaN</c> for none).</summary>
    public static string Default(StepHyperparameter h) => CSharpSyntax.PrintLiteral(new Literal(h.Default, IrType.Double));

    /// <summary>The declared domain, as a member of <c>AutoHypergrad.HyperparameterDomain</c>.</summary>
    public static string Domain(StepHyperparameter h) => "global::AutoHypergrad.HyperparameterDomain." + h.Domain;

    /// <summary>The parameter's value, or the default where it was left out, checked: <c>HyperparameterValue.Resolve(…)</c>.</summary>
    public static string Resolve(StepHyperparameter h, string owner) => $"{Value}.Resolve({h.Name}, {Default(h)}, \"{owner}\", \"{h.Name}\")";
}
