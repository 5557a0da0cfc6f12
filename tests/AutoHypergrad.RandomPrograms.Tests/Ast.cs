using System.Collections.Immutable;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>How a generated method takes a parameter.</summary>
public enum PKind
{
    Value,
    Ref,
    Out,
    In,
    NoDiff,
    Hyper,
    Int,
    ReadOnlySpan,
    Span,
    Array,
}

public sealed record Param(string Name, PKind Kind)
{
    public bool IsSequence => Kind is PKind.ReadOnlySpan or PKind.Span or PKind.Array;

    public bool IsRealScalar => Kind is PKind.Value or PKind.Ref or PKind.Out or PKind.In or PKind.NoDiff or PKind.Hyper;
}

// ---- expressions (double-valued) ----
public abstract record Expr;

public sealed record Num(double Value) : Expr;

/// <summary>A double variable, or an int one (loop counter, int parameter) converted implicitly.</summary>
public sealed record Var(string Name) : Expr;

/// <summary>+ - * /; a division prints its divisor as (r * r + 1.0), inside the domain.</summary>
public sealed record Bin(char Op, Expr Left, Expr Right) : Expr;

public sealed record Neg(Expr Operand) : Expr;

/// <summary>Math.{Name}; arguments print inside their domains (Sqrt(a*a+0.5), Log(a*a+1), Pow(a*a+1, c)).</summary>
public sealed record Fn(string Name, ImmutableArray<Expr> Args) : Expr;

public sealed record Ternary(Cond Condition, Expr WhenTrue, Expr WhenFalse) : Expr;

/// <summary>An element a[index]; the index is int code as text (a constant, or (i + c) % a.Length).</summary>
public sealed record Elem(string Array, string Index) : Expr;

/// <summary>A call with value arguments only, inside an expression.</summary>
public sealed record CallExpr(string Callee, ImmutableArray<Arg> Args) : Expr;

/// <summary>A named constant: <c>Math.PI</c>, the class's <c>const double Half</c>, or a const local.</summary>
public sealed record Const(string Name) : Expr;

/// <summary>TensorPrimitives.{Name}(spans): Dot (two), Sum, SumOfSquares, Max (one).</summary>
public sealed record Reduce(string Name, ImmutableArray<string> Spans) : Expr;

// ---- conditions (no side effects) ----
public abstract record Cond;

public sealed record Cmp(string Op, Expr Left, Expr Right) : Cond;

/// <summary>An integer comparison, as text (i % 2 == 0, n > 1).</summary>
public sealed record IntCmp(string Text) : Cond;

public sealed record Logic(string Op, Cond Left, Cond Right) : Cond;

public sealed record Not(Cond Operand) : Cond;

// ---- call arguments ----
public enum ArgMode
{
    Value,
    Ref,
    Out,
    In,
    /// <summary><c>out double name</c>: declares a new local.</summary>
    OutDecl,
    /// <summary>A span or array, by name.</summary>
    Sequence,
}

public sealed record Arg(ArgMode Mode, Expr? Value, string? Name);

// ---- statements ----
public abstract record Stmt;

public sealed record Decl(string Name, Expr Init) : Stmt;

/// <summary>target op rhs; target is a variable or an element; op one of = += -= *= /= ++ --.</summary>
public sealed record Assign(Expr Target, string Op, Expr? Rhs) : Stmt;

public sealed record If(Cond Condition, ImmutableArray<Stmt> Then, ImmutableArray<Stmt>? Else) : Stmt;

/// <summary>for (int v = 0; v &lt; bound; v++).</summary>
public sealed record For(string Var, string Bound, ImmutableArray<Stmt> Body) : Stmt;

/// <summary>int c = 0; while (c &lt; bound [&amp;&amp; extra]) { c++; body }.</summary>
public sealed record While(string Counter, int Bound, Cond? Extra, ImmutableArray<Stmt> Body) : Stmt;

/// <summary>int c = 0; do { c++; body } while (c &lt; bound);.</summary>
public sealed record DoWhile(string Counter, int Bound, ImmutableArray<Stmt> Body) : Stmt;

public sealed record Foreach(string Var, string Array, ImmutableArray<Stmt> Body) : Stmt;

public sealed record Break : Stmt;

public sealed record Continue : Stmt;

public sealed record Return(Expr? Value) : Stmt;

/// <summary>[target =] Callee(args); as a statement.</summary>
public sealed record CallStmt(string? Target, string Callee, ImmutableArray<Arg> Args) : Stmt;

/// <summary>switch (selector) { case 0: … case k−1: … default: … }, on int code as text; each section ends in
/// break unless its last statement leaves it.</summary>
public sealed record Switch(string Selector, ImmutableArray<ImmutableArray<Stmt>> Cases, ImmutableArray<Stmt> Default) : Stmt;

/// <summary>const double name = value;</summary>
public sealed record ConstDecl(string Name, double Value) : Stmt;

/// <summary>Span&lt;double&gt; name = stackalloc double[L]; or double[] name = new double[L]; (top level only).</summary>
public sealed record ArrayDecl(string Name, bool Stackalloc) : Stmt;

/// <summary>A generated method.</summary>
public sealed record Method(
    string Name,
    ImmutableArray<Param> Params,
    bool ReturnsDouble,
    int Order,
    bool Elementwise,
    bool OptimizerStep,
    ImmutableArray<Stmt> Body);

/// <summary>
/// A generated program: a partial class holding the method under test and the [Differentiable] methods it calls.
/// Every span and array has <see cref="Length"/> elements; every int parameter the value <see cref="IntValue"/>.
/// </summary>
public sealed record Prog(string ClassName, Method Main, ImmutableArray<Method> Callees, int Length, int IntValue, ulong Seed)
{
    public System.Collections.Generic.IEnumerable<Method> Methods
    {
        get
        {
            yield return Main;
            foreach (var c in Callees)
            {
                yield return c;
            }
        }
    }
}
