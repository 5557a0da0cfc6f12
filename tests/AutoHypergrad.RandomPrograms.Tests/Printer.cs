using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// Prints a <see cref="Prog"/> as C#. <see cref="Display"/> is what a failure shows: the [Differentiable] methods
/// alone. <see cref="Full"/> is what is compiled: the same methods with the checker's attributes ([Domain], [Lengths],
/// [Ints], [SmoothWhere]), and, per method, a plain copy (<c>{Name}__Probe</c>) that records how close the run came to
/// every kink (a real comparison, Abs, Max, Min, Sign, Clamp) and whether a value blew up, and the [SmoothWhere]
/// predicate that runs it.
/// </summary>
public static class Printer
{
    public const double Domain = 2.0;

    public static string Display(Prog p)
    {
        CurrentLength = p.Length;
        var methods = new StringBuilder();
        foreach (var m in p.Methods)
        {
            if (methods.Length > 0)
            {
                methods.Append('\n');
            }

            PrintMethod(methods, p, m, probe: false, checkerAttributes: false);
        }

        // The class's constant field, where a method names it.
        string text = methods.ToString();
        var sb = new StringBuilder();
        sb.Append("public static partial class ").Append(p.ClassName).Append('\n').Append("{\n");
        if (System.Text.RegularExpressions.Regex.IsMatch(text, @"\bHalf\b"))
        {
            sb.Append(HalfField).Append('\n');
        }

        sb.Append(text).Append("}\n");
        if (p.Main.Params.Any(q => q.IsSequence) || p.Callees.Any(c => c.Params.Any(q => q.IsSequence)))
        {
            sb.Append($"// spans and arrays of length {p.Length}");
        }

        if (p.Methods.Any(m => m.Params.Any(q => q.Kind == PKind.Int)))
        {
            sb.Append(sb[^1] == '\n' ? "// " : "; ").Append($"int parameters = {p.IntValue}");
        }

        if (sb[^1] != '\n')
        {
            sb.Append('\n');
        }

        return sb.ToString();
    }

    public static string Full(Prog p)
    {
        CurrentLength = p.Length;
        var sb = new StringBuilder();
        sb.Append("using System;\nusing System.Numerics.Tensors;\nusing AutoHypergrad;\nusing AutoHypergrad.Derivatives.Tests;\nusing AutoHypergrad.RandomPrograms.Tests;\n\n");
        sb.Append("public static partial class ").Append(p.ClassName).Append("\n{\n").Append(HalfField).Append("\n\n");
        foreach (var m in p.Methods)
        {
            PrintMethod(sb, p, m, probe: false, checkerAttributes: true);
            sb.Append('\n');
            PrintMethod(sb, p, m, probe: true, checkerAttributes: false);
            sb.Append('\n');
            PrintPredicate(sb, m, path: false);
            sb.Append('\n');
            PrintPredicate(sb, m, path: true);
            sb.Append('\n');
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The class's constant field, a <see cref="Const"/> named Half.</summary>
    public const string HalfField = "    public const double Half = 0.5;";

    /// <summary>The [SmoothWhere] predicate (<c>__Smooth</c>: <c>Kink.End()</c>) or the [PathWhere] function (<c>__Path</c>: <c>Kink.Path</c>) of a method: its probe copy run on copies of the arguments.</summary>
    private static void PrintPredicate(StringBuilder sb, Method m, bool path)
    {
        var taken = m.Params.Where(q => q.Kind != PKind.Out).ToList();
        sb.Append(path ? "    public static long " : "    public static bool ").Append(m.Name).Append(path ? "__Path(" : "__Smooth(")
          .Append(string.Join(", ", taken.Select(q => (q.IsSequence ? "double[] " : q.Kind == PKind.Int ? "int " : "double ") + q.Name)))
          .Append(")\n    {\n        Kink.Begin();\n");
        foreach (var q in m.Params)
        {
            if (q.IsSequence)
            {
                sb.Append($"        double[] {q.Name}__ = (double[]){q.Name}.Clone();\n");
            }
            else if (q.Kind is PKind.Ref or PKind.Out)
            {
                sb.Append($"        double {q.Name}__ = {(q.Kind == PKind.Out ? "0.0" : q.Name)};\n");
            }
        }

        string args = string.Join(", ", m.Params.Select(q => q.Kind switch
        {
            PKind.Ref => "ref " + q.Name + "__",
            PKind.Out => "out " + q.Name + "__",
            PKind.In => "in " + q.Name,
            _ when q.IsSequence => q.Name + "__",
            _ => q.Name,
        }));
        sb.Append("        ");
        if (m.ReturnsDouble)
        {
            sb.Append("Kink.Value(");
        }

        sb.Append(m.Name).Append("__Probe(").Append(args).Append(')');
        if (m.ReturnsDouble)
        {
            sb.Append(')');
        }

        sb.Append(";\n");
        foreach (var q in m.Params)
        {
            if (q.IsSequence)
            {
                sb.Append($"        foreach (double e in {q.Name}__) {{ Kink.Value(e); }}\n");
            }
            else if (q.Kind is PKind.Ref or PKind.Out)
            {
                sb.Append($"        Kink.Value({q.Name}__);\n");
            }
        }

        sb.Append(path ? "        return Kink.Path;\n    }\n" : "        return Kink.End();\n    }\n");
    }

    public static void PrintMethod(StringBuilder sb, Prog p, Method m, bool probe, bool checkerAttributes)
    {
        if (!probe)
        {
            sb.Append("    [Differentiable").Append(m.Order == 2 ? "(Order = 2)" : string.Empty).Append(m.OptimizerStep ? ", OptimizerStep" : string.Empty).Append("]\n");
        }

        if (checkerAttributes)
        {
            sb.Append($"    [Domain({F(-Domain)}, {F(Domain)})]\n");
            if (m.Params.Any(q => q.IsSequence))
            {
                sb.Append($"    [Lengths({p.Length})]\n");
            }

            foreach (var q in m.Params.Where(q => q.Kind == PKind.Int))
            {
                sb.Append($"    [Ints(\"{q.Name}\", {p.IntValue})]\n");
            }

            sb.Append($"    [SmoothWhere(\"{m.Name}__Smooth\")]\n");
            sb.Append($"    [PathWhere(\"{m.Name}__Path\")]\n");
        }

        sb.Append("    public static ").Append(m.ReturnsDouble ? "double " : "void ").Append(m.Name).Append(probe ? "__Probe(" : "(")
          .Append(string.Join(", ", m.Params.Select(PrintParam))).Append(")\n");
        var w = new Writer(sb, probe, 2);
        w.Block(m.Body);
    }

    private static string PrintParam(Param q) => q.Kind switch
    {
        PKind.Value => "double " + q.Name,
        PKind.Ref => "ref double " + q.Name,
        PKind.Out => "out double " + q.Name,
        PKind.In => "in double " + q.Name,
        PKind.NoDiff => "[NoDiff] double " + q.Name,
        PKind.Hyper => "[Hyper] double " + q.Name,
        PKind.Int => "int " + q.Name,
        PKind.ReadOnlySpan => "ReadOnlySpan<double> " + q.Name,
        PKind.Span => "Span<double> " + q.Name,
        PKind.Array => "double[] " + q.Name,
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };

    public static string F(double v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }

    private sealed class Writer(StringBuilder sb, bool probe, int indent)
    {
        private int _indent = indent;

        private void Line(string text) => sb.Append(' ', (_indent - 1) * 4).Append(text).Append('\n');

        public void Block(ImmutableArray<Stmt> body)
        {
            Line("{");
            _indent++;
            foreach (var s in body)
            {
                Statement(s);
            }

            _indent--;
            Line("}");
        }

        private string V(Expr e) => probe ? $"Kink.Value({E(e)})" : E(e);

        private void Statement(Stmt s)
        {
            switch (s)
            {
                case Decl d:
                    Line($"double {d.Name} = {V(d.Init)};");
                    break;
                case Assign a when a.Op is "++" or "--":
                    Line($"{E(a.Target)}{a.Op};");
                    break;
                case Assign a when a.Op == "/=":
                    Line($"{E(a.Target)} /= {V(SafeDivisor(a.Rhs!))};");
                    break;
                case Assign a:
                    Line($"{E(a.Target)} {a.Op} {V(a.Rhs!)};");
                    break;
                case If i:
                    Line($"if ({C(i.Condition)})");
                    Block(i.Then);
                    if (i.Else is { } els)
                    {
                        Line("else");
                        Block(els);
                    }

                    break;
                case For f:
                    Line($"for (int {f.Var} = 0; {f.Var} < {f.Bound}; {f.Var}++)");
                    Block(f.Body);
                    break;
                case While wh:
                    Line($"int {wh.Counter} = 0;");
                    Line($"while ({wh.Counter} < {wh.Bound}{(wh.Extra is null ? string.Empty : " && " + C(wh.Extra))})");
                    Block(wh.Body.Insert(0, new Assign(new Var(wh.Counter), "++", null)));
                    break;
                case DoWhile dw:
                    Line($"int {dw.Counter} = 0;");
                    Line("do");
                    Block(dw.Body.Insert(0, new Assign(new Var(dw.Counter), "++", null)));
                    Line($"while ({dw.Counter} < {dw.Bound});");
                    break;
                case Foreach fe:
                    Line($"foreach (double {fe.Var} in {fe.Array})");
                    Block(fe.Body);
                    break;
                case Break:
                    Line("break;");
                    break;
                case Continue:
                    Line("continue;");
                    break;
                case Return r:
                    Line(r.Value is null ? "return;" : $"return {V(r.Value)};");
                    break;
                case CallStmt c:
                    Line((c.Target is null ? string.Empty : c.Target + " = ") + Call(c.Callee, c.Args) + ";");
                    break;
                case Switch sw:
                    Line($"switch ({sw.Selector})");
                    Line("{");
                    _indent++;
                    for (int k = 0; k <= sw.Cases.Length; k++)
                    {
                        Line(k < sw.Cases.Length ? $"case {k}:" : "default:");
                        var section = k < sw.Cases.Length ? sw.Cases[k] : sw.Default;
                        Block(section.Length > 0 && section[^1] is Return or Break or Continue ? section : section.Add(new Break()));
                    }

                    _indent--;
                    Line("}");
                    break;
                case ConstDecl c:
                    Line($"const double {c.Name} = {F(c.Value)};");
                    break;
                case ArrayDecl a:
                    Line(a.Stackalloc ? $"Span<double> {a.Name} = stackalloc double[{Length}];" : $"double[] {a.Name} = new double[{Length}];");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(s), s.GetType().Name);
            }
        }

        /// <summary>Set by the caller through the static below (the program's length).</summary>
        private static int Length => CurrentLength;

        private string Call(string callee, ImmutableArray<Arg> args) =>
            callee + (probe ? "__Probe(" : "(") + string.Join(", ", args.Select(a => a.Mode switch
            {
                ArgMode.Value => E(a.Value!),
                ArgMode.Ref => "ref " + a.Name,
                ArgMode.Out => "out " + a.Name,
                ArgMode.In => "in " + a.Name,
                ArgMode.OutDecl => "out double " + a.Name,
                ArgMode.Sequence => a.Name!,
                _ => throw new ArgumentOutOfRangeException(nameof(args)),
            })) + ")";

        private static Expr SafeDivisor(Expr e) => new Bin('+', new Bin('*', e, e), new Num(1.0));

        public string E(Expr e) => e switch
        {
            Num n => n.Value < 0 ? "(" + F(n.Value) + ")" : F(n.Value),
            Var v => v.Name,
            Bin { Op: '/' } b => $"({E(b.Left)} / ({E(b.Right)} * {E(b.Right)} + 1.0))",
            Bin b => $"({E(b.Left)} {b.Op} {E(b.Right)})",
            Neg n => $"(-{E(n.Operand)})",
            Ternary t => $"({C(t.Condition)} ? {E(t.WhenTrue)} : {E(t.WhenFalse)})",
            Elem el => $"{el.Array}[{el.Index}]",
            CallExpr c => Call(c.Callee, c.Args),
            Const c => c.Name,
            Reduce { Name: "Max" } r when probe => $"Kink.MaxOf({r.Spans[0]})",
            Reduce r => $"TensorPrimitives.{r.Name}<double>({string.Join(", ", r.Spans)})",
            Fn f => Function(f),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
        };

        private string Function(Fn f)
        {
            string a = E(f.Args[0]);
            return f.Name switch
            {
                "Sqrt" => $"Math.Sqrt({a} * {a} + 0.5)",
                "Log" => $"Math.Log({a} * {a} + 1.0)",
                "Exp" => $"Math.Exp(Math.Tanh({a}))",
                "Pow" => $"Math.Pow({a} * {a} + 1.0, {E(f.Args[1])})",
                "Tanh" or "Sin" or "Cos" => $"Math.{f.Name}({a})",
                "Abs" => probe ? $"Math.Abs(Kink.At({a}))" : $"Math.Abs({a})",
                "Sign" => probe ? $"Kink.Sign({a})" : $"Math.Sign({a})",
                "Max" or "Min" => probe ? $"Kink.{f.Name}({a}, {E(f.Args[1])})" : $"Math.{f.Name}({a}, {E(f.Args[1])})",
                "Clamp" => probe ? $"Kink.Clamp({a}, -1.0, 1.0)" : $"Math.Clamp({a}, -1.0, 1.0)",
                "FusedMultiplyAdd" => $"Math.FusedMultiplyAdd({a}, {E(f.Args[1])}, {E(f.Args[2])})",
                _ => throw new ArgumentOutOfRangeException(nameof(f), f.Name),
            };
        }

        private string C(Cond c) => c switch
        {
            Cmp cmp => probe ? $"Kink.Compare({E(cmp.Left)}, \"{cmp.Op}\", {E(cmp.Right)})" : $"{E(cmp.Left)} {cmp.Op} {E(cmp.Right)}",
            IntCmp i => i.Text,
            Logic l => $"({C(l.Left)} {l.Op} {C(l.Right)})",
            Not n => $"!({C(n.Operand)})",
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }

    [ThreadStatic]
    private static int currentLength;

    /// <summary>The length printed in stackalloc/new of the program being printed.</summary>
    internal static int CurrentLength
    {
        get => currentLength;
        set => currentLength = value;
    }
}
