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

/// <summary>
/// <c>Target = Value;</c> (compound assignments are desugared by the parser). <paramref name="FromZero"/>: the target
/// holds +0 here, so this stands for the accumulation <c>Target = Target + Value</c> (see
/// <see cref="Passes.AccumulationForms"/>).
/// </summary>
internal sealed record Assign(string Target, Expr Value, string? Origin = null, bool FromZero = false) : Stmt;

/// <summary><c>Collection[Index] = Value;</c></summary>
internal sealed record Store(string Collection, Expr Index, Expr Value, string? Origin = null) : Stmt;

/// <summary>
/// A loop: while <c>Condition</c> holds, run <c>Body</c> then <c>Step</c>; <c>TestFirst</c> is false for do-while.
/// A for loop's initializer is the statements before it; <c>Step</c> holds its incrementors.
/// </summary>
internal sealed record Loop(Block Body, Expr Condition, bool TestFirst, Block Step, string? Origin = null) : Stmt;

/// <summary><c>break;</c> (only before normalization, which turns it into a flag).</summary>
internal sealed record Break : Stmt;

/// <summary><c>continue;</c> (only before normalization).</summary>
internal sealed record Continue : Stmt;

/// <summary>Pushes a value on a tape, for the reverse sweep.</summary>
internal sealed record TapePush(string Tape, Expr Value) : Stmt;

/// <summary>Throws ArgumentException unless the derivative collection has the primal's length.</summary>
internal sealed record LengthCheck(string Derivative, string Primal) : Stmt;

/// <summary>
/// Throws ArgumentException if span or array <c>Written</c>, which the method writes, shares memory with
/// <c>Other</c> (both parameters, of element type <c>Element</c>): the derivatives read and write each apart.
/// </summary>
internal sealed record OverlapCheck(string Written, string Other, IrType Element, string Method) : Stmt;

/// <summary>
/// A writable copy of span or array <c>Source</c>, named <c>Name</c>: from <c>ArrayPool</c> into <c>PooledArray</c>
/// (given back by <see cref="ReleaseWorkCopy"/>), or a clone when it must be an array.
/// </summary>
internal sealed record WorkCopy(string Name, string Source, IrType Type, string? PooledArray) : Stmt;

/// <summary>Gives a <see cref="WorkCopy"/>'s pooled array back.</summary>
internal sealed record ReleaseWorkCopy(string Name, string PooledArray, IrType Type) : Stmt;

/// <summary>A tape for values of <c>Element</c>, rented from the thread's pool for the whole call.</summary>
internal sealed record RentTape(string Tape, IrType Element) : Stmt;

/// <summary>Gives a tape back to the pool.</summary>
internal sealed record ReturnTape(string Tape) : Stmt;

/// <summary>Pushes a snapshot of a whole span or array on a tape.</summary>
internal sealed record PushAll(string Tape, string Collection) : Stmt;

/// <summary>Pops a snapshot pushed by <see cref="PushAll"/> back into the span or array.</summary>
internal sealed record PopAll(string Tape, string Collection) : Stmt;

internal sealed record If(Expr Condition, Block Then, Block Else, string? Origin = null) : Stmt;

internal sealed record Return(Expr? Value, string? Origin = null) : Stmt;

/// <summary>A call made for its effect on ref arguments.</summary>
internal sealed record CallStatement(Call Call, string? Origin = null) : Stmt;

/// <summary><c>(a, b) = Value;</c> or <c>var (a, b) = Value;</c>.</summary>
internal sealed record TupleAssign(EquatableArray<string> Targets, bool Declares, Expr Value) : Stmt;

/// <summary>A comment: a heading, or (the default) the source of the statements that follow it.</summary>
internal sealed record Comment(string Text, bool IsHeading = false) : Stmt;
