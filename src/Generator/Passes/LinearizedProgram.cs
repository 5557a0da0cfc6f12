using System.Collections.Generic;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Passes;

/// <summary>
/// A method body after linearization: every active value is computed by a statement that also carries its linear
/// form. The tangent pass evaluates the forms in program order; the adjoint pass transposes them in reverse order.
/// </summary>
internal abstract record LinStmt;

internal enum Definition
{
    /// <summary>Declares the variable here (a user's declaration or a temporary).</summary>
    Declaration,

    /// <summary>Assigns a variable declared earlier that holds no value yet on this path.</summary>
    FirstAssignment,

    /// <summary>Overwrites a value, which the reverse sweep may need back.</summary>
    Overwrite,
}

/// <summary>
/// <c>Target = Primal</c>, and δTarget = <c>Linear</c> where the target is active (null: zero).
/// <c>Linear</c> reads only values from before the statement, except the target's new value where
/// <c>Primal</c> does not read the target (so a result such as √x is not computed twice).
/// </summary>
internal sealed record LinAssign(string Target, IrType Type, Expr Primal, Expr? Linear, bool Active, Definition Definition) : LinStmt;

/// <summary>A variable declared with no value; it is assigned in both branches of what follows.</summary>
internal sealed record LinDeclare(string Name, IrType Type, bool Active) : LinStmt;

/// <summary><c>Collection[Index] = Primal</c>, and δCollection[Index] = <c>Linear</c>, which reads only values from before.</summary>
internal sealed record LinStore(string Collection, Expr Index, IrType Type, Expr Primal, Expr? Linear, bool Active) : LinStmt;

/// <summary>A loop; <c>Condition</c> holds no derivative. <c>Step</c> runs after the body (a for loop's incrementors).</summary>
internal sealed record LinLoop(IReadOnlyList<LinStmt> Body, Expr Condition, bool TestFirst, IReadOnlyList<LinStmt> Step, string? Origin) : LinStmt;

internal sealed record LinIf(Expr Condition, IReadOnlyList<LinStmt> Then, IReadOnlyList<LinStmt> Else, string? Origin) : LinStmt;

/// <summary>
/// A call to a [Differentiable] method, <c>Result = Call(...)</c> or a bare call; active when it has active
/// arguments. Active value arguments are variables or literals, so that their adjoints have a place to go.
/// </summary>
internal sealed record LinCall(Call Call, string? Result, bool Active) : LinStmt;

/// <summary>The statements that one user statement became, under its source text.</summary>
internal sealed record LinGroup(string? Origin, IReadOnlyList<LinStmt> Statements) : LinStmt;

internal sealed record LinearizedProgram(IReadOnlyList<LinStmt> Statements, ISet<string> Active, string? Result, IReadOnlyDictionary<string, IrType> Types);
