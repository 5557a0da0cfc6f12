using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoHypergrad.Generator.Diagnostics;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using AutoHypergrad.Generator.Parsing;
using AutoHypergrad.Generator.Passes;
using Microsoft.CodeAnalysis;

namespace AutoHypergrad.Generator.Rules;

/// <summary>
/// One hand-written derivative method: a tangent, an adjoint, or (for second order) a tangent's adjoint of
/// <c>TargetKey</c> ("Namespace.Type.Method").
/// </summary>
/// <c>Arity</c>: its number of type parameters (the runtime's TensorPrimitives derivatives are generic in T, as their targets are).
internal sealed record DerivativeMethod(string TargetKey, string ImplementationType, string Name, bool IsTangent, bool IsTangentAdjoint = false, int Arity = 0);

/// <summary>Every hand-written derivative in reach: this compilation's [DerivativeOf] methods and referenced assemblies'.</summary>
internal sealed record DerivativeRegistry(EquatableArray<DerivativeMethod> Methods)
{
    public static readonly DerivativeRegistry Empty = new(EquatableArray<DerivativeMethod>.Empty);
}

/// <summary>
/// User-supplied derivatives: reads [DerivativeOf] methods (in source, and in the types a referenced assembly names
/// with [assembly: ProvidesDerivatives]), and resolves the calls the parser could not (the method is not
/// [Differentiable]) to them, or reports AHG0004.
/// </summary>
internal static class CustomDerivatives
{
    public const string DerivativeOfAttribute = "AutoHypergrad.DerivativeOfAttribute";
    private const string ProvidesDerivativesAttribute = "AutoHypergrad.ProvidesDerivativesAttribute";

    /// <summary>The [DerivativeOf] method of the syntax provider's context, if it is well formed.</summary>
    public static DerivativeMethod? FromSource(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => context.TargetSymbol is IMethodSymbol method ? Read(method) : null;

    /// <summary>The [DerivativeOf] methods of the types referenced assemblies provide.</summary>
    public static EquatableArray<DerivativeMethod> FromReferences(Compilation compilation, CancellationToken cancellationToken)
    {
        var methods = new List<DerivativeMethod>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var attribute in assembly.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != ProvidesDerivativesAttribute
                    || attribute.ConstructorArguments.Length != 1
                    || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol provider)
                {
                    continue;
                }

                methods.AddRange(provider.GetMembers().OfType<IMethodSymbol>().Select(Read).Where(m => m is not null)!);
            }
        }

        return methods.ToEquatableArray();
    }

    private static DerivativeMethod? Read(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != DerivativeOfAttribute
                || attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol target
                || attribute.ConstructorArguments[1].Value is not string name)
            {
                continue;
            }

            var isTangent = method.Name.EndsWith("Tangent", System.StringComparison.Ordinal);
            if (!isTangent && !method.Name.EndsWith("Adjoint", System.StringComparison.Ordinal))
            {
                return null;
            }

            var isTangentAdjoint = method.Name.EndsWith("TangentAdjoint", System.StringComparison.Ordinal);
            return new DerivativeMethod(target.OriginalDefinition.ToDisplayString() + "." + name, SymbolNames.FullyQualified(method.ContainingType), method.Name, isTangent, isTangentAdjoint, method.Arity);
        }

        return null;
    }

    /// <summary>
    /// The method with every call to a method that is not [Differentiable] pointed at its hand-written derivatives;
    /// an AHG0004 for each call that has none (or only a tangent, or only an adjoint).
    /// </summary>
    public static (MethodModel Method, ImmutableArray<DiagnosticInfo> Diagnostics) Resolve(MethodModel method, DerivativeRegistry registry)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        Expr Rewrite(Expr expression) => IrWalker.Rewrite(expression, e =>
        {
            if (e is not Call { Callee.Kind: CalleeKind.Unresolved } call)
            {
                return null;
            }

            var arguments = call.Arguments.Select(a => a with { Value = Rewrite(a.Value) }).ToEquatableArray();
            var tangent = registry.Methods.FirstOrDefault(m => m.TargetKey == call.Callee.Key && m.IsTangent);
            var adjoint = registry.Methods.FirstOrDefault(m => m.TargetKey == call.Callee.Key && !m.IsTangent && !m.IsTangentAdjoint);
            if (tangent is null || adjoint is null || tangent.ImplementationType != adjoint.ImplementationType)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoKnownDerivative, call.Callee.Location, call.Callee.Key, method.Name));
                return call with { Arguments = arguments };
            }

            var tangentAdjoint = registry.Methods.FirstOrDefault(m => m.TargetKey == call.Callee.Key && m.IsTangentAdjoint && m.ImplementationType == tangent.ImplementationType);
            if (method.Order == 2 && SecondOrderProblem(call.Callee, tangentAdjoint) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSecondOrderDerivative, call.Callee.Location, call.Callee.Key, method.Name, problem));
                return call with { Arguments = arguments };
            }

            var callee = call.Callee with
            {
                Kind = CalleeKind.Custom,
                DerivativeType = tangent.ImplementationType,
                TangentName = tangent.Name,
                AdjointName = adjoint.Name,
                TangentAdjointName = tangentAdjoint?.Name,
                Location = null,
                DerivativeTypeArguments = tangent.Arity > 0 ? call.Callee.TypeArguments : "",
            };
            return call with { Callee = callee, Arguments = arguments };
        });

        var body = RewriteBlock(method.Body, Rewrite);
        return (method with { Body = body }, diagnostics.ToImmutable());
    }

    /// <summary>
    /// Why a hand-written callee cannot be called from an Order = 2 method, if it cannot: second order needs a
    /// scalar-valued callee (a float or double result, no ref, out or writable span parameters) with a hand-written
    /// {Name}TangentAdjoint.
    /// </summary>
    private static string? SecondOrderProblem(Callee callee, DerivativeMethod? tangentAdjoint)
    {
        if (!callee.ReturnType.IsReal || callee.Parameters.Any(p => p.Mode is PassingMode.Ref or PassingMode.Out || p.Type.Shape == TypeShape.Span))
        {
            return "only scalar-valued calls (a float or double result, no ref, out or written span arguments) can be differentiated twice";
        }

        return tangentAdjoint is null
            ? "write its TangentAdjoint (the adjoint of its tangent, see the README) marked [DerivativeOf] beside its tangent and adjoint"
            : null;
    }

    private static Block RewriteBlock(Block block, System.Func<Expr, Expr> rewrite)
        => new(block.Statements.Select(s => RewriteStatement(s, rewrite)).ToEquatableArray());

    private static Stmt RewriteStatement(Stmt statement, System.Func<Expr, Expr> rewrite) => statement switch
    {
        Declare d => d with { Init = d.Init is null ? null : rewrite(d.Init) },
        Assign a => a with { Value = rewrite(a.Value) },
        Store st => st with { Index = rewrite(st.Index), Value = rewrite(st.Value) },
        CallStatement c => c with { Call = (Call)rewrite(c.Call) },
        Return r => r with { Value = r.Value is null ? null : rewrite(r.Value) },
        If i => i with { Condition = rewrite(i.Condition), Then = RewriteBlock(i.Then, rewrite), Else = RewriteBlock(i.Else, rewrite) },
        Loop l => l with { Condition = rewrite(l.Condition), Body = RewriteBlock(l.Body, rewrite), Step = RewriteBlock(l.Step, rewrite) },
        _ => statement,
    };
}
