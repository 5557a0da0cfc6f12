using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using AutoHypergrad.Generator.Passes;

namespace AutoHypergrad.Generator.Emit;

/// <summary>
/// Writes a span driver: the elementwise kernel over spans, vectorized with Vector512, Vector256 or Vector128
/// (whichever the machine accelerates) and the scalar kernel itself for the tail. Uniform statements and uniform
/// subexpressions (bias corrections, 1 − β) are computed once before the loop; branches on per-element values
/// become masks and ConditionalSelect; a uniform parameter's adjoint is summed in a vector and across lanes once,
/// and so is the adjoint of a uniform intermediate value (a bias correction 1 − β^t, say), which passes its sum on to
/// the hyperparameters once, after the loop, instead of once per element.
/// A kernel with something that has no vector form (Pow or Tanh of per-element values, mixed float and double)
/// gets the scalar loop alone.
/// </summary>
internal sealed class SimdDriverEmitter
{
    private const string Intrinsics = "global::System.Runtime.Intrinsics";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    private readonly SpanDriver _driver;
    private readonly IrType _element;
    private readonly HashSet<string> _varying = new();
    private readonly HashSet<string> _accumulators = new();
    private readonly List<string> _deferred = new();
    private readonly HashSet<string> _summedInLoop = new();
    private readonly Dictionary<string, string> _vectors = new();
    private readonly NameScope _names;

    private SimdDriverEmitter(SpanDriver driver, IrType element)
    {
        _driver = driver;
        _element = element;
        _names = new NameScope(driver.Kernel.Parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(driver.Kernel.Body)));
    }

    public static void Write(IndentedWriter writer, SpanDriver driver)
    {
        var element = driver.Parameters.First(p => p.Role is DriverRole.ElementInput or DriverRole.ElementState).Type;
        new SimdDriverEmitter(driver, element).WriteDriver(writer);
    }

    private sealed class NotVectorizable : Exception
    {
        public NotVectorizable(string reason)
            : base(reason)
        {
        }
    }

    private void WriteDriver(IndentedWriter writer)
    {
        var kernel = _driver.Kernel;
        var parameters = string.Join(", ", _driver.Parameters.Select(p => p.Role switch
        {
            DriverRole.ElementInput => $"global::System.ReadOnlySpan<{p.Type.Name}> {p.Name}",
            DriverRole.ElementState => $"global::System.Span<{p.Type.Name}> {p.Name}",
            DriverRole.UniformAccumulator => $"ref {p.Type.Name} {p.Name}",
            _ => $"{p.Type.Name} {p.Name}",
        }));
        writer.WriteLine($"/// <summary>Span driver: <c>{kernel.Name}</c> on every element (spans of equal length; uniform values for all elements).</summary>");
        writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoHypergrad\", \"1.0\")]");
        writer.WriteLine($"{kernel.Accessibility} static void {kernel.Name}({parameters})");
        writer.OpenBrace();

        var spans = _driver.Parameters.Where(p => p.Role is DriverRole.ElementInput or DriverRole.ElementState).ToList();
        var length = _names.Fresh("length");
        var index = _names.Fresh("i");
        writer.WriteLine($"int {length} = {spans[0].Name}.Length;");
        foreach (var span in spans.Skip(1))
        {
            writer.WriteLine($"if ({span.Name}.Length != {length})");
            writer.OpenBrace();
            writer.WriteLine($"throw new global::System.ArgumentException($\"{span.Name} has length {{{span.Name}.Length}}; {spans[0].Name} has length {{{length}}}: they must be equal.\", nameof({span.Name}));");
            writer.CloseBrace();
        }

        // Vector-mode tangents: k directions per element (element-major) and k per uniform value.
        var directions = _names.Fresh("directions");
        var perElement = _driver.Parameters.Where(p => p.Role == DriverRole.ElementDirections).ToList();
        var uniform = _driver.Parameters.Where(p => p.Role == DriverRole.UniformDirections).ToList();
        if (perElement.Count + uniform.Count > 0)
        {
            writer.WriteLine(uniform.Count > 0
                ? $"int {directions} = {uniform[0].Name}.Length;"
                : $"int {directions} = {length} == 0 ? 0 : {perElement[0].Name}.Length / {length};");
            foreach (var p in perElement)
            {
                writer.WriteLine($"if ({p.Name}.Length != {length} * {directions})");
                writer.OpenBrace();
                writer.WriteLine($"throw new global::System.ArgumentException($\"{p.Name} has length {{{p.Name}.Length}}; it holds {{{directions}}} directions for each of {{{length}}} elements.\", nameof({p.Name}));");
                writer.CloseBrace();
            }

            foreach (var p in uniform.Skip(1))
            {
                writer.WriteLine($"if ({p.Name}.Length != {directions})");
                writer.OpenBrace();
                writer.WriteLine($"throw new global::System.ArgumentException($\"{p.Name} has length {{{p.Name}.Length}}; {uniform[0].Name} has length {{{directions}}}: they must be equal.\", nameof({p.Name}));");
                writer.CloseBrace();
            }
        }

        writer.WriteLine($"int {index} = 0;");
        List<string>? vectorCode = null;
        string? reason = null;
        try
        {
            vectorCode = VectorCode(length, index);
        }
        catch (NotVectorizable e)
        {
            reason = e.Message;
        }

        if (vectorCode is null)
        {
            writer.WriteLine($"// Not vectorized: {reason}.");
        }
        else
        {
            foreach (var line in vectorCode)
            {
                writer.WriteLine(line);
            }
        }

        writer.WriteLine($"for (; {index} < {length}; {index}++)");
        writer.OpenBrace();
        var arguments = string.Join(", ", _driver.Parameters.Zip(kernel.Parameters, (d, k) => d.Role switch
        {
            DriverRole.ElementDirections => $"{d.Name}.Slice({index} * {directions}, {directions})",
            DriverRole.ElementInput => (k.Mode == PassingMode.In ? "in " : "") + $"{d.Name}[{index}]",
            DriverRole.ElementState => $"ref {d.Name}[{index}]",
            DriverRole.UniformAccumulator => $"ref {d.Name}",
            _ => CSharpSyntax.ParameterModifier(k.Mode) + d.Name,
        }));
        writer.WriteLine($"{kernel.Name}({arguments});");
        writer.CloseBrace();
        writer.CloseBrace();
    }

    /// <summary>The uniform prelude and one vector loop per width, as lines; throws <see cref="NotVectorizable"/>.</summary>
    private List<string> VectorCode(string length, string index)
    {
        if (_driver.Parameters.Any(p => p.Role is DriverRole.ElementDirections or DriverRole.UniformDirections))
        {
            throw new NotVectorizable("k directions per element (the kernel loops over them)");
        }

        var body = _driver.Kernel.Body.Statements.Where(s => s is not LengthCheck).ToList();
        Classify(body);
        DeferUniformAdjoints(body);
        var lines = new List<string>();

        // Uniform statements, once.
        var prelude = new IndentedWriter();
        foreach (var statement in Uniform(body))
        {
            CSharpEmitter.WriteStatement(prelude, statement);
        }

        lines.AddRange(Lines(prelude.ToString()));
        // State the kernel writes is stored back; state it only reads is not.
        var assigned = new Dictionary<string, int>();
        Count(body, assigned);
        var written = _driver.Parameters.Where(p => p.Role == DriverRole.ElementState && assigned.ContainsKey(p.Name)).ToList();
        var first = true;
        foreach (var width in new[] { 512, 256, 128 })
        {
            var v = $"{Intrinsics}.Vector{width}";
            var vt = $"{v}<{_element.Name}>";
            var broadcasts = new List<string>();
            var loop = new List<string>();
            var translator = new Translator(this, v, vt, broadcasts);
            foreach (var statement in body)
            {
                translator.Statement(statement, null, loop, 2);
            }

            lines.Add($"{(first ? "if" : "else if")} ({v}.IsHardwareAccelerated && {length} >= {vt}.Count)");
            lines.Add("{");
            lines.AddRange(broadcasts.Select(b => "    " + b));
            foreach (var accumulator in _summedInLoop)
            {
                lines.Add($"    {vt} {Vector(accumulator)} = {vt}.Zero;");
            }

            lines.Add($"    for (; {index} <= {length} - {vt}.Count; {index} += {vt}.Count)");
            lines.Add("    {");
            foreach (var parameter in _driver.Parameters)
            {
                if (parameter.Role is DriverRole.ElementInput or DriverRole.ElementState)
                {
                    lines.Add($"        {vt} {Vector(parameter.Name)} = {v}.LoadUnsafe(ref {Marshal}.GetReference({parameter.Name}), (nuint){index});");
                }
                else if (_varying.Contains(parameter.Name))
                {
                    lines.Add($"        {vt} {Vector(parameter.Name)} = {v}.Create({parameter.Name});");
                }
            }

            foreach (var local in _varying.Where(n => !_driver.Parameters.Any(p => p.Name == n) && !_accumulators.Contains(n)).OrderBy(n => n, StringComparer.Ordinal))
            {
                lines.Add($"        {vt} {Vector(local)} = {vt}.Zero;");
            }

            lines.AddRange(loop);
            foreach (var parameter in written)
            {
                lines.Add($"        {v}.StoreUnsafe({Vector(parameter.Name)}, ref {Marshal}.GetReference({parameter.Name}), (nuint){index});");
            }

            lines.Add("    }");
            foreach (var accumulator in _accumulators.Where(a => !_deferred.Contains(a) && _summedInLoop.Contains(a)))
            {
                lines.Add($"    {accumulator} += {v}.Sum({Vector(accumulator)});");
            }

            foreach (var local in _deferred)
            {
                lines.Add($"    {_element.Name} {local} = {(_summedInLoop.Contains(local) ? $"{v}.Sum({Vector(local)})" : "0")};");
            }

            var afterLoop = new IndentedWriter();
            foreach (var statement in AfterLoop(body))
            {
                CSharpEmitter.WriteStatement(afterLoop, statement);
            }

            lines.AddRange(Lines(afterLoop.ToString()).Select(line => "    " + line));
            lines.Add("}");
            first = false;
        }

        return lines;
    }

    private static IEnumerable<string> Lines(string text)
        => text.Split('\n').Where(l => l.Length > 0);

    // ---- Which values vary across elements ----

    private void Classify(List<Stmt> body)
    {
        foreach (var parameter in _driver.Parameters)
        {
            if (parameter.Role is DriverRole.ElementInput or DriverRole.ElementState)
            {
                _varying.Add(parameter.Name);
            }
            else if (parameter.Role == DriverRole.UniformAccumulator)
            {
                _accumulators.Add(parameter.Name);
            }
        }

        var assignments = new Dictionary<string, int>();
        Count(body, assignments);
        foreach (var pair in assignments.Where(a => a.Value > 1 && !_accumulators.Contains(a.Key)))
        {
            // Assigned more than once: kept per element, so that hoisting never reorders its values.
            _varying.Add(pair.Key);
        }

        int before;
        do
        {
            before = _varying.Count;
            Mark(body, masked: false);
        }
        while (_varying.Count != before);
    }

    private static void Count(IEnumerable<Stmt> statements, Dictionary<string, int> counts)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                // The adjoint declares its locals at zero before it assigns them: that is not a second value.
                case Declare { Init: null or Literal { Value: 0 } }:
                    break;
                case Declare d:
                    counts[d.Name] = counts.TryGetValue(d.Name, out var c) ? c + 1 : 1;
                    break;
                case Assign a:
                    counts[a.Target] = counts.TryGetValue(a.Target, out var k) ? k + 1 : 1;
                    break;
                case If i:
                    Count(i.Then.Statements, counts);
                    Count(i.Else.Statements, counts);
                    break;
            }
        }
    }

    private void Mark(IEnumerable<Stmt> statements, bool masked)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Declare { Init: { } init } d when masked || IsVarying(init):
                    _varying.Add(d.Name);
                    break;
                case Assign a when !_accumulators.Contains(a.Target) && (masked || IsVarying(a.Value)):
                    _varying.Add(a.Target);
                    break;
                case If i:
                    var inner = masked || IsVarying(i.Condition);
                    Mark(i.Then.Statements, inner);
                    Mark(i.Else.Statements, inner);
                    break;
            }
        }
    }

    private bool IsVarying(Expr expression) => IrWalker.FreeVariables(expression).Any(_varying.Contains);

    /// <summary>The statements that assign uniform values, in order, inside the uniform branches that hold them.</summary>
    private IEnumerable<Stmt> Uniform(IEnumerable<Stmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Declare d when !_varying.Contains(d.Name):
                    yield return d;
                    break;
                case Assign a when !_varying.Contains(a.Target) && !_accumulators.Contains(a.Target):
                    yield return a;
                    break;
                case If i when !IsVarying(i.Condition):
                    var then = Uniform(i.Then.Statements).ToList();
                    var @else = Uniform(i.Else.Statements).ToList();
                    if (then.Count + @else.Count > 0)
                    {
                        yield return i with { Then = new Block(then.ToEquatableArray()), Else = new Block(@else.ToEquatableArray()) };
                    }

                    break;
            }
        }
    }

    // ---- Adjoints of uniform values, propagated after the loop ----

    /// <summary>
    /// Finds the adjoints of uniform intermediate values: locals that start at zero, are only ever accumulated into,
    /// and whose value is read only to accumulate into other such adjoints or into a hyperparameter's, with
    /// coefficients that are uniform and outside any per-element branch. Every adjoint statement is linear in the
    /// adjoints it reads, so summing a local over the elements first and propagating the sum once gives the sum of
    /// the per-element propagations.
    /// </summary>
    private void DeferUniformAdjoints(List<Stmt> body)
    {
        if (!_driver.Parameters.Any(p => p.Role == DriverRole.UniformAccumulator))
        {
            return;
        }

        var declared = new List<string>();
        var candidates = new HashSet<string>();
        var rejected = new HashSet<string>();
        foreach (var (statement, _) in WithMasks(body, masked: false))
        {
            switch (statement)
            {
                case Declare { Init: null or Literal { Value: 0 } } d when _varying.Contains(d.Name):
                    declared.Add(d.Name);
                    candidates.Add(d.Name);
                    break;
                case Declare d:
                    rejected.Add(d.Name);
                    break;
                case Assign a when Accumulated(a) is null:
                    rejected.Add(a.Target);
                    break;
            }
        }

        candidates.ExceptWith(rejected);
        bool changed;
        do
        {
            changed = false;
            foreach (var (statement, masked) in WithMasks(body, masked: false))
            {
                var reads = statement switch
                {
                    Assign a => IrWalker.FreeVariables(Accumulated(a) ?? a.Value),
                    Declare d => IrWalker.FreeVariables(d.Init),
                    If i => IrWalker.FreeVariables(i.Condition),
                    _ => new HashSet<string>(),
                };
                var readCandidates = reads.Where(candidates.Contains).ToList();
                if (readCandidates.Count == 0)
                {
                    continue;
                }

                var propagates = statement is Assign target
                    && !masked
                    && (candidates.Contains(target.Target) || _accumulators.Contains(target.Target))
                    && reads.All(r => candidates.Contains(r) || !_varying.Contains(r));
                if (!propagates)
                {
                    candidates.ExceptWith(readCandidates);
                    changed = true;
                }
            }
        }
        while (changed);

        _deferred.AddRange(declared.Where(candidates.Contains));
        _accumulators.UnionWith(_deferred);
    }

    /// <summary>The share of an accumulation <c>x = x + share</c>, or null.</summary>
    private static Expr? Accumulated(Assign assign)
        => assign.Value is Binary { Op: BinaryOp.Add, Left: VarRef self } sum && self.Name == assign.Target ? sum.Right : null;

    /// <summary>An accumulation that only propagates deferred adjoints: it runs once, after the loop.</summary>
    private bool RunsAfterLoop(Assign assign)
        => _accumulators.Contains(assign.Target)
           && Accumulated(assign) is { } share
           && IrWalker.FreeVariables(share).Any(_deferred.Contains);

    private IEnumerable<(Stmt Statement, bool Masked)> WithMasks(IEnumerable<Stmt> statements, bool masked)
    {
        foreach (var statement in statements)
        {
            yield return (statement, masked);
            if (statement is If i)
            {
                var inner = masked || IsVarying(i.Condition);
                foreach (var nested in WithMasks(i.Then.Statements.Concat(i.Else.Statements), inner))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>The accumulations that run after the loop, in order, inside the uniform branches that hold them.</summary>
    private IEnumerable<Stmt> AfterLoop(IEnumerable<Stmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Assign a when RunsAfterLoop(a):
                    yield return a;
                    break;
                case If i when !IsVarying(i.Condition):
                    var then = AfterLoop(i.Then.Statements).ToList();
                    var @else = AfterLoop(i.Else.Statements).ToList();
                    if (then.Count + @else.Count > 0)
                    {
                        yield return i with { Then = new Block(then.ToEquatableArray()), Else = new Block(@else.ToEquatableArray()) };
                    }

                    break;
            }
        }
    }

    private string Vector(string name)
    {
        if (!_vectors.TryGetValue(name, out var vector))
        {
            vector = _names.Fresh(name + (_accumulators.Contains(name) ? "Sum" : "Vec"));
            _vectors[name] = vector;
        }

        return vector;
    }

    // ---- Translation to vector operations ----

    private sealed class Translator
    {
        private readonly SimdDriverEmitter _owner;
        private readonly string _v;
        private readonly string _vt;
        private readonly List<string> _broadcasts;
        private readonly Dictionary<string, string> _broadcastNames = new();

        public Translator(SimdDriverEmitter owner, string v, string vt, List<string> broadcasts)
        {
            _owner = owner;
            _v = v;
            _vt = vt;
            _broadcasts = broadcasts;
        }

        private IrType Element => _owner._element;

        public void Statement(Stmt statement, string? mask, List<string> output, int depth)
        {
            var pad = new string(' ', depth * 4);
            switch (statement)
            {
                case Comment c:
                    output.Add(pad + "// " + c.Text);
                    break;
                case Declare { Init: Literal { Value: 0 } }:
                    // Vector locals start at zero already.
                    break;
                case Declare d when d.Init is not null && _owner._varying.Contains(d.Name):
                    output.Add(pad + Assignment(d.Name, d.Init, mask));
                    break;
                case Declare:
                    break;
                case Assign a when _owner.RunsAfterLoop(a):
                    break;
                case Assign a when _owner._accumulators.Contains(a.Target):
                {
                    if (Accumulated(a) is not { } accumulated)
                    {
                        throw new NotVectorizable($"the uniform adjoint {a.Target} is not only accumulated");
                    }

                    var share = Vec(accumulated);
                    _owner._summedInLoop.Add(a.Target);
                    output.Add(pad + $"{_owner.Vector(a.Target)} += {(mask is null ? share : $"{_v}.ConditionalSelect({mask}, {share}, {_vt}.Zero)")};");
                    break;
                }

                case Assign a when _owner._varying.Contains(a.Target):
                    output.Add(pad + Assignment(a.Target, a.Value, mask));
                    break;
                case Assign:
                    break;
                case If i when !_owner.IsVarying(i.Condition):
                {
                    var then = new List<string>();
                    var @else = new List<string>();
                    foreach (var s in i.Then.Statements)
                    {
                        Statement(s, mask, then, depth + 1);
                    }

                    foreach (var s in i.Else.Statements)
                    {
                        Statement(s, mask, @else, depth + 1);
                    }

                    if (then.Count + @else.Count == 0)
                    {
                        break;
                    }

                    output.Add(pad + $"if ({CSharpSyntax.Print(i.Condition)})");
                    output.Add(pad + "{");
                    output.AddRange(then);
                    output.Add(pad + "}");
                    if (@else.Count > 0)
                    {
                        output.Add(pad + "else");
                        output.Add(pad + "{");
                        output.AddRange(@else);
                        output.Add(pad + "}");
                    }

                    break;
                }

                case If i:
                {
                    var condition = _owner._names.Fresh("condition");
                    output.Add(pad + $"{_vt} {condition} = {Vec(i.Condition)};");
                    var thenMask = mask is null ? condition : $"({mask} & {condition})";
                    var elseMask = mask is null ? $"~{condition}" : $"({mask} & ~{condition})";
                    foreach (var s in i.Then.Statements)
                    {
                        Statement(s, thenMask, output, depth);
                    }

                    foreach (var s in i.Else.Statements)
                    {
                        Statement(s, elseMask, output, depth);
                    }

                    break;
                }

                case Return { Value: null }:
                    break;
                default:
                    throw new NotVectorizable($"{statement.GetType().Name} has no vector form");
            }
        }

        private string Assignment(string target, Expr value, string? mask)
        {
            var name = _owner.Vector(target);
            var computed = Vec(value);
            return mask is null ? $"{name} = {computed};" : $"{name} = {_v}.ConditionalSelect({mask}, {computed}, {name});";
        }

        /// <summary>The expression as a vector (a mask for a condition); uniform parts become hoisted broadcasts.</summary>
        private string Vec(Expr expression)
        {
            if (!_owner.IsVarying(expression))
            {
                return Broadcast(expression);
            }

            if (expression.Type.IsReal && expression.Type != Element)
            {
                throw new NotVectorizable($"{expression.Type.Name} values mixed with {Element.Name} ones");
            }

            switch (expression)
            {
                case VarRef v:
                    return _owner.Vector(v.Name);
                case Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } b:
                    return $"({Vec(b.Left)} {Operator(b.Op)} {Vec(b.Right)})";
                case Binary { Op: BinaryOp.And } b:
                    return $"({Vec(b.Left)} & {Vec(b.Right)})";
                case Binary { Op: BinaryOp.Or } b:
                    return $"({Vec(b.Left)} | {Vec(b.Right)})";
                case Binary { Op: BinaryOp.NotEqual } b:
                    return $"~{_v}.Equals({Vec(b.Left)}, {Vec(b.Right)})";
                case Binary b when Comparison(b.Op) is { } name:
                    return $"{_v}.{name}({Vec(b.Left)}, {Vec(b.Right)})";
                case Unary { Op: UnaryOp.Negate } u:
                    return $"(-{Vec(u.Operand)})";
                case Unary { Op: UnaryOp.Not } u:
                    return $"~{Vec(u.Operand)}";
                case Conditional c when !_owner.IsVarying(c.Condition):
                    // The same branch for every element: evaluate only that one.
                    return $"({CSharpSyntax.Print(c.Condition)} ? {Vec(c.WhenTrue)} : {Vec(c.WhenFalse)})";
                case Conditional c:
                    return $"{_v}.ConditionalSelect({Vec(c.Condition)}, {Vec(c.WhenTrue)}, {Vec(c.WhenFalse)})";
                case IntrinsicCall { Function: Intrinsic.Sqrt or Intrinsic.Abs or Intrinsic.Exp or Intrinsic.Log } i:
                    return $"{_v}.{i.Function}({Vec(i.Arguments[0])})";
                case IntrinsicCall { Function: Intrinsic.Max or Intrinsic.Min } i:
                    return $"{_v}.{i.Function}({Vec(i.Arguments[0])}, {Vec(i.Arguments[1])})";
                case IntrinsicCall { Function: Intrinsic.FusedMultiplyAdd } i:
                    return $"{_v}.FusedMultiplyAdd({Vec(i.Arguments[0])}, {Vec(i.Arguments[1])}, {Vec(i.Arguments[2])})";
                case IntrinsicCall { Function: Intrinsic.Clamp } i:
                    return $"{_v}.Min({_v}.Max({Vec(i.Arguments[0])}, {Vec(i.Arguments[1])}), {Vec(i.Arguments[2])})";
                case Cast { Operand: IntrinsicCall { Function: Intrinsic.Sign } sign } when sign.Arguments[0].Type == Element:
                {
                    var x = Vec(sign.Arguments[0]);
                    var zero = $"{_vt}.Zero";
                    return $"{_v}.ConditionalSelect({_v}.GreaterThan({x}, {zero}), {_vt}.One, {_v}.ConditionalSelect({_v}.LessThan({x}, {zero}), -{_vt}.One, {zero}))";
                }

                default:
                    throw new NotVectorizable($"{CSharpSyntax.Print(expression)} has no vector form");
            }
        }

        /// <summary>A uniform value as a vector, computed once before the loop.</summary>
        private string Broadcast(Expr expression)
        {
            var scalar = CSharpSyntax.Print(expression);
            if (!_broadcastNames.TryGetValue(scalar, out var name))
            {
                name = _owner._names.Fresh("uniform");
                _broadcastNames[scalar] = name;
                _broadcasts.Add(expression.Type.Kind == ScalarKind.Bool
                    ? $"{_vt} {name} = ({scalar}) ? {_vt}.AllBitsSet : {_vt}.Zero;"
                    : $"{_vt} {name} = {_v}.Create(({Element.Name})({scalar}));");
            }

            return name;
        }

        private static string Operator(BinaryOp op) => op switch
        {
            BinaryOp.Add => "+",
            BinaryOp.Subtract => "-",
            BinaryOp.Multiply => "*",
            _ => "/",
        };

        private static string? Comparison(BinaryOp op) => op switch
        {
            BinaryOp.Less => "LessThan",
            BinaryOp.LessOrEqual => "LessThanOrEqual",
            BinaryOp.Greater => "GreaterThan",
            BinaryOp.GreaterOrEqual => "GreaterThanOrEqual",
            BinaryOp.Equal => "Equals",
            _ => null,
        };
    }
}
