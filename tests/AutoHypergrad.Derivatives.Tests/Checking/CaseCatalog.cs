using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoHypergrad.Derivatives.Tests;

/// <summary>Every [Differentiable] method of this assembly, by "Type.Method", and the xunit member data over them.</summary>
public static class CaseCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, CaseMethod>> Cases = new(Discover);

    /// <summary>Every [Differentiable] method.</summary>
    public static TheoryData<string> All => ToTheoryData(Cases.Value.Values);

    /// <summary>The double ones, checked against finite differences.</summary>
    public static TheoryData<string> Double => ToTheoryData(Cases.Value.Values.Where(c => !c.IsFloat));

    /// <summary>The float ones, checked against their double twins.</summary>
    public static TheoryData<string> Float => ToTheoryData(Cases.Value.Values.Where(c => c.IsFloat));

    /// <summary>The ones with an active span or array parameter, whose derivative spans' lengths are checked.</summary>
    public static TheoryData<string> WithActiveSequences => ToTheoryData(Cases.Value.Values.Where(c => c.HasActiveSequences));

    /// <summary>The [Differentiable(Order = 2)] ones, whose HessianVector is checked.</summary>
    public static TheoryData<string> SecondOrder => ToTheoryData(Cases.Value.Values.Where(c => c.Order == 2));

    /// <summary>The second-order ones with an active span or array parameter, whose direction and accumulator lengths are checked.</summary>
    public static TheoryData<string> SecondOrderWithActiveSequences =>
        ToTheoryData(Cases.Value.Values.Where(c => c.Order == 2 && c.HasActiveSequences));

    internal static IEnumerable<CaseMethod> Methods => Cases.Value.Values;

    internal static CaseMethod Get(string id) =>
        Cases.Value.TryGetValue(id, out CaseMethod? method)
            ? method
            : throw new ArgumentException($"No [Differentiable] method '{id}' in the test assembly.", nameof(id));

    /// <summary>The [Differentiable] methods written in the test assembly (not the float twins the generator writes), including ones that share a name.</summary>
    internal static IEnumerable<MethodInfo> DeclaredMethods() =>
        typeof(CaseCatalog).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null && m.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>() is null)
            .OrderBy(m => m.DeclaringType!.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Name, StringComparer.Ordinal);

    private static Dictionary<string, CaseMethod> Discover()
    {
        var cases = new Dictionary<string, CaseMethod>(StringComparer.Ordinal);
        foreach (MethodInfo method in DeclaredMethods().Where(m => m.IsStatic))
        {
            var model = new CaseMethod(method);
            cases.TryAdd(model.Id, model); // overloads are reported by CatalogTests
        }

        return cases;
    }

    private static TheoryData<string> ToTheoryData(IEnumerable<CaseMethod> methods)
    {
        var data = new TheoryData<string>();
        foreach (CaseMethod method in methods.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            data.Add(method.Id);
        }

        return data;
    }
}
