using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoHypergrad.Generator.Model;

namespace AutoHypergrad.Generator.Emit;

/// <summary>Thrown while printing CUDA C for a construct that has no CUDA form; the emitter reports it as an Info diagnostic.</summary>
internal sealed class NoCudaForm : System.Exception
{
    public NoCudaForm(string what)
        : base(what)
    {
    }
}

/// <summary>
/// Prints IR expressions as CUDA C++ with the C# semantics of the same IR: the same operations in the same order
/// (parentheses where C# has them, so that <c>a + (b + c)</c> stays as written), the Math/MathF functions mapped to
/// CUDA's double or float functions (sqrt/sqrtf, exp/expf, fma/fmaf, …), and Max, Min, Sign and Clamp through small
/// helpers that follow .NET's rules for NaN and signed zeros where C's fmax/fmin do not. Which helpers an expression
/// needs is collected in <see cref="Helpers"/>, so that the module defines only those (NVRTC warns on unused ones).
/// </summary>
internal sealed class CudaSyntax
{
    private const int ConditionalLevel = CSharpSyntax.ConditionalLevel;
    private const int PrefixLevel = CSharpSyntax.PrefixLevel;

    /// <summary>The helper functions (<c>ahg_max</c>, …) the printed expressions call, by C type: "max:double".</summary>
    public SortedSet<string> Helpers { get; } = new(System.StringComparer.Ordinal);

    /// <summary>The C type of an IR scalar type; throws <see cref="NoCudaForm"/> for anything else.</summary>
    public static string TypeName(IrType type)
    {
        if (type.IsCollection)
        {
            throw new NoCudaForm($"the collection type {type.Name}");
        }

        return type.Kind switch
        {
            ScalarKind.Double => "double",
            ScalarKind.Float => "float",
            ScalarKind.Bool => "bool",
            ScalarKind.Integer when type.Name == "int" => "int",
            ScalarKind.Integer when type.Name == "long" => "long long",
            _ => throw new NoCudaForm($"the type {type.Name}"),
        };
    }

    public string Print(Expr expression) => expression switch
    {
        Literal l => PrintLiteral(l),
        VarRef v => v.Name,
        Unary u => (u.Op == UnaryOp.Negate ? "-" : "!") + Operand(u.Operand, PrefixLevel, rightSide: true),
        Binary { Op: BinaryOp.Modulo } b when b.Type.IsReal => $"{(b.Type.Kind == ScalarKind.Float ? "fmodf" : "fmod")}({Print(b.Left)}, {Print(b.Right)})",
        Binary b => Operand(b.Left, Precedence(b), rightSide: false) + " " + CSharpSyntax.OperatorText(b.Op) + " " + Operand(b.Right, Precedence(b), rightSide: true),
        Conditional c => Operand(c.Condition, ConditionalLevel, rightSide: true) + " ? " + Operand(c.WhenTrue, ConditionalLevel, rightSide: true) + " : " + Operand(c.WhenFalse, ConditionalLevel, rightSide: true),
        Cast c => "(" + TypeName(c.Type) + ")" + Operand(c.Operand, PrefixLevel, rightSide: true),
        IntrinsicCall i => Function(i) + "(" + string.Join(", ", i.Arguments.Select(Print)) + ")",
        _ => throw new NoCudaForm(expression.GetType().Name),
    };

    /// <summary>
    /// The CUDA function for a Math/MathF call. C# picks MathF for float arguments and Math otherwise; CUDA's names
    /// carry the precision the same way (sqrtf, sqrt). Abs of an integer is <c>abs</c>/<c>llabs</c>.
    /// </summary>
    private string Function(IntrinsicCall call)
    {
        var argument = call.Arguments[0].Type;
        var single = argument.Kind == ScalarKind.Float;
        string Real(string name) => single ? name + "f" : name;
        switch (call.Function)
        {
            case Intrinsic.Sqrt:
            case Intrinsic.Exp:
            case Intrinsic.Log:
            case Intrinsic.Pow:
            case Intrinsic.Tanh:
            case Intrinsic.Sin:
            case Intrinsic.Cos:
                RequireReal(call);
                return Real(call.Function.ToString().ToLowerInvariant());
            case Intrinsic.FusedMultiplyAdd:
                RequireReal(call);
                return Real("fma");
            case Intrinsic.Abs when argument.IsReal:
                return Real("fabs");
            case Intrinsic.Abs:
                return TypeName(argument) == "int" ? "abs" : "llabs";
            case Intrinsic.Max:
            case Intrinsic.Min:
            case Intrinsic.Sign:
            case Intrinsic.Clamp:
            {
                var name = call.Function.ToString().ToLowerInvariant();
                Helpers.Add(name + ":" + TypeName(argument));
                return "ahg_" + name;
            }

            default:
                throw new NoCudaForm("Math." + call.Function);
        }
    }

    private static void RequireReal(IntrinsicCall call)
    {
        if (call.Arguments.Any(a => !a.Type.IsReal) || call.Arguments.Select(a => a.Type.Kind).Distinct().Count() > 1)
        {
            throw new NoCudaForm($"Math.{call.Function} with arguments of types {string.Join(", ", call.Arguments.Select(a => a.Type.Name))}");
        }
    }

    private string Operand(Expr operand, int context, bool rightSide)
    {
        var precedence = Precedence(operand);
        var text = Print(operand);
        // An && inside an || is parenthesized although it binds tighter: C compilers warn otherwise (-Wparentheses).
        var andInOr = operand is Binary { Op: BinaryOp.And } && context == CSharpSyntax.LogicalOrLevel;
        return precedence < context || (rightSide && precedence == context) || andInOr ? "(" + text + ")" : text;
    }

    /// <summary>As in C#, except that a real modulo is a call (fmod), which binds like a primary expression.</summary>
    private static int Precedence(Expr expression) => expression is Binary { Op: BinaryOp.Modulo } b && b.Type.IsReal
        ? CSharpSyntax.PrimaryLevel
        : CSharpSyntax.Precedence(expression);

    /// <summary>
    /// Round-trip literals, as C# prints them (<c>1.0</c>, <c>0.1f</c>, <c>1E-08</c>): C reads the same digits as the
    /// same value. NaN and the infinities, which C has no literal for, are built from their bits.
    /// </summary>
    public static string PrintLiteral(Literal literal)
    {
        var value = literal.Value;
        switch (literal.Type.Kind)
        {
            case ScalarKind.Bool:
                return value != 0 ? "true" : "false";
            case ScalarKind.Integer:
                return ((long)value).ToString(CultureInfo.InvariantCulture) + (literal.Type.Name == "long" ? "LL" : "");
            case ScalarKind.Float:
            {
                var single = (float)value;
                if (float.IsNaN(single) || float.IsInfinity(single))
                {
                    var bits = float.IsNaN(single) ? 0x7FC00000u : single > 0 ? 0x7F800000u : 0xFF800000u;
                    return $"__int_as_float((int)0x{bits:X8}u)";
                }

                // C needs a point or an exponent before the suffix: 1.0f, not 1f.
                var digits = single.ToString("R", CultureInfo.InvariantCulture);
                return (digits.IndexOfAny(new[] { '.', 'E' }) >= 0 ? digits : digits + ".0") + "f";
            }

            default:
            {
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    var bits = double.IsNaN(value) ? 0x7FF8000000000000ul : value > 0 ? 0x7FF0000000000000ul : 0xFFF0000000000000ul;
                    return $"__longlong_as_double((long long)0x{bits:X16}ull)";
                }

                var text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
            }
        }
    }

    /// <summary>
    /// The definition of helper <paramref name="key"/> ("max:double"): .NET's Math.Max/Min (NaN if either is NaN;
    /// +0 above −0), Math.Sign (−1, 0, 1; a NaN, for which .NET throws, gives 0, since a kernel cannot throw) and
    /// Math.Clamp (min where value &lt; min, max where value &gt; max, else value).
    /// </summary>
    public static IEnumerable<string> HelperDefinition(string key)
    {
        var parts = key.Split(':');
        var (name, type) = (parts[0], parts[1]);
        var real = type is "double" or "float";
        var head = $"static __device__ __forceinline__ {(name == "sign" ? "int" : type)} ahg_{name}";
        switch (name)
        {
            case "max" when real:
            case "min" when real:
            {
                var wins = name == "max" ? "x < y ? y : x" : "x < y ? x : y";
                // Of two equal values, Max takes the one that is not −0 and Min the one that is.
                var zero = name == "max" ? "signbit(y) ? x : y" : "signbit(x) ? x : y";
                yield return $"{head}({type} x, {type} y)";
                yield return "{";
                yield return $"    if (x != y) {{ return x != x ? x : y != y ? y : {wins}; }}";
                yield return $"    return {zero};";
                yield return "}";
                break;
            }

            case "max":
            case "min":
                yield return $"{head}({type} x, {type} y) {{ return {(name == "max" ? "x < y ? y : x" : "x < y ? x : y")}; }}";
                break;
            case "sign":
                yield return $"{head}({type} x) {{ return (x > ({type})0) - (x < ({type})0); }}";
                break;
            default:
                yield return $"{head}({type} value, {type} min, {type} max) {{ return value < min ? min : value > max ? max : value; }}";
                break;
        }
    }
}
