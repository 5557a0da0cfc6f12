using AutoHypergrad.Generator.Helpers;

namespace AutoHypergrad.Generator.Model;

/// <summary>A statement. <c>Origin</c>, where present, is the user's source statement, shown as a comment in generated code.</summary>
internal abstract record Stmt;

internal sealed record Block(EquatableArray<Stmt> Statements)
{
    public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);

    public bool IsEmpty => Statements.Count == 0;
}

/// <summary><c>Type Name = Init;</c> or, without an initializer, <c>Type Name;</c>.</summary>
internal sealed record Declare(string Name, IrType Type, Expr? Init, string? Origin = null) : Stmt;

/// <summary><c>Target = Value;</c> (compound assignments are desugared by the parser).</summary>
internal sealed record Assign(string Target, Expr Value, string? Origin = null) : Stmt;

internal sealed record If(Expr Condition, Block Then, Block Else, string? Origin = null) : Stmt;

internal sealed record Return(Expr? Value, string? Origin = null) : Stmt;

/// <summary>A call made for its effect on ref arguments.</summary>
internal sealed record CallStatement(Call Call, string? Origin = null) : Stmt;

/// <summary><c>(a, b) = Value;</c> or <c>var (a, b) = Value;</c>.</summary>
internal sealed record TupleAssign(EquatableArray<string> Targets, bool Declares, Expr Value) : Stmt;

/// <summary>A comment: a heading, or (the default) the source of the statements that follow it.</summary>
internal sealed record Comment(string Text, bool IsHeading = false) : Stmt;
