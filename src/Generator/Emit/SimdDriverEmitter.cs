using System;
using System.Collections.Generic;
using System.Linq;
using AutoHypergrad.Generator.Helpers;
using AutoHypergrad.Generator.Model;
using AutoHypergrad.Generator.Passes;

namespace AutoHypergrad.Generator.Emit;

/// <summary>
/// Writes a span driver: the element function over spans, vectorized with Vector512, Vector256 or Vector128
/// (whichever the machine accelerates) and the element function itself for the tail. Uniform statements and uniform
/// subexpressions (bias corrections, 1 − β) are computed once before the loop; branches on per-element values
/// become masks and ConditionalSelect; a uniform parameter's adjoint is summed in a vector and across lanes once,
/// and so is the adjoint of a uniform intermediate value (a bias correction 1 − β^t, say), which passes its sum on to
/// the hyperparameters once, after the loop, instead of once per element.
/// An element function with something that has no vector form (Pow or Tanh of per-element values, mixed float and double)
/// gets the scalar loop alone.
/// <para>
/// The vector-mode tangent's driver carries k directions, its per-element tangents direction-major (direction j of
/// element i at j·n + i). Its vector loop is written from the single-direction tangent: per vector of elements the
/// primal statements run once, then the tangent statements once per direction, loading and storing that direction's
/// block; the uniform tangents (of 1 − β, say) are computed once per direction before the loop. The remaining
/// elements go one at a time through the scalar vector-mode element function.
/// </para>
/// </summary>
internal sealed class SimdDriverEmitter
{
    private const string Intrinsics = "global::System.Runtime.Intrinsics";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    private readonly SpanDriver _driver;
    private readonly IrType _element;

    /// <summary>The element function the vector loop is written from: the driver's own, or the single-direction tangent.</summary>
    private readonly GeneratedMethod _source;

    /// <summary>The tangent variables of the vector-mode tangent's source (none for the other drivers).</summary>
    private readonly HashSet<string> _tangents;
    private readonly HashSet<string> _varying = new();
    private readonly HashSet<string> _accumulators = new();
    private readonly List<string> _deferred = new();
    private readonly HashSet<string> _summedInLoop = new();

    /// <summary>Deferred adjoints summed straight into an accumulator's vector (see <see cref="MergeDeferredSums"/>).</summary>
    private readonly Dictionary<string, (string Accumulator, bool Negated)> _mergedInto = new();
    private readonly Dictionary<string, string> _vectors = new();
    private readonly NameScope _names;

    /// <summary>Uniform values that may call a function, by their text: computed once, before any vector is (see <c>Broadcast</c>).</summary>
    private readonly Dictionary<string, (string Name, string Type)> _uniformValues = new();

    /// <summary>The direction index of the vector-mode tangent's loops.</summary>
    private string _direction = "j";

    private SimdDriverEmitter(SpanDriver driver, IrType element)
    {
        _driver = driver;
        _element = element;
        _source = driver.Directions?.Tangent ?? driver.Element;
        _tangents = new HashSet<string>(driver.Directions?.TangentNames ?? EquatableArray<string>.Empty);
        _names = new NameScope(_source.Parameters.Select(p => p.Name).Concat(IrWalker.DeclaredNames(_source.Body)));
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
        var element = _driver.Element;
        var parameters = string.Join(", ", _driver.Parameters.Select(p => p.Role switch
        {
            DriverRole.ElementInput => $"global::System.ReadOnlySpan<{p.Type.Name}> {p.Name}",
            DriverRole.ElementState => $"global::System.Span<{p.Type.Name}> {p.Name}",
            DriverRole.UniformAccumulator => $"ref {p.Type.Name} {p.Name}",
            _ => $"{p.Type.Name} {p.Name}",
        }));
        writer.WriteLine(_driver.Parameters.Any(p => p.Role == DriverRole.ElementDirections)
            ? $"/// <summary>Span driver: <c>{element.Name}</c> on every element (spans of equal length n; uniform values for all elements; a per-element tangent holds k directions of n values one after the other, direction j of element i at j·n + i; a uniform tangent, k values).</summary>"
            : $"/// <summary>Span driver: <c>{element.Name}</c> on every element (spans of equal length; uniform values for all elements).</summary>");
        writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoHypergrad\", \"1.0\")]");
        writer.WriteLine($"{element.Accessibility} static void {element.Name}({parameters})");
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

        // Vector-mode tangents: k directions per element (direction-major) and k per uniform value.
        var perElement = _driver.Parameters.Where(p => p.Role == DriverRole.ElementDirections).ToList();
        var uniform = _driver.Parameters.Where(p => p.Role == DriverRole.UniformDirections).ToList();
        string? directions = null;
        if (perElement.Count + uniform.Count > 0)
        {
            directions = _names.Fresh("directions");
            _direction = _names.Fresh("j");
            WriteDirectionChecks(writer, length, directions, perElement, uniform);
        }

        writer.WriteLine($"int {index} = 0;");
        List<string>? vectorCode = null;
        string? reason = null;
        try
        {
            vectorCode = VectorCode(length, index, directions);
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

        if (directions is null)
        {
            writer.WriteLine($"for (; {index} < {length}; {index}++)");
            writer.OpenBrace();
            writer.WriteLine($"{element.Name}({ElementArguments(index, null)});");
            writer.CloseBrace();
        }
        else
        {
            WriteDirectionTail(writer, length, index, directions, perElement);
        }

        writer.CloseBrace();
    }

    /// <summary>The arguments of the element function for element <paramref name="index"/>; <paramref name="buffers"/> hold each per-element tangent's k directions.</summary>
    private string ElementArguments(string index, Dictionary<string, string>? buffers)
        => string.Join(", ", _driver.Parameters.Zip(_driver.Element.Parameters, (d, k) => d.Role switch
        {
            DriverRole.ElementDirections => buffers![d.Name],
            DriverRole.ElementInput => (k.Mode == PassingMode.In ? "in " : "") + $"{d.Name}[{index}]",
            DriverRole.ElementState => $"ref {d.Name}[{index}]",
            DriverRole.UniformAccumulator => $"ref {d.Name}",
            _ => CSharpSyntax.ParameterModifier(k.Mode) + d.Name,
        }));

    /// <summary>
    /// k from the uniform tangents' length (or, without any, from the first per-element tangent's), and the lengths
    /// of the others: k·n for a per-element tangent, k for a uniform one.
    /// </summary>
    private static void WriteDirectionChecks(IndentedWriter writer, string length, string directions, List<DriverParameter> perElement, List<DriverParameter> uniform)
    {
        writer.WriteLine(uniform.Count > 0
            ? $"int {directions} = {uniform[0].Name}.Length;"
            : $"int {directions} = {length} == 0 ? 0 : {perElement[0].Name}.Length / {length};");
        foreach (var p in perElement)
        {
            writer.WriteLine($"if ({p.Name}.Length != (long){directions} * {length})");
            writer.OpenBrace();
            writer.WriteLine($"throw new global::System.ArgumentException($\"{p.Name} has length {{{p.Name}.Length}}; it must hold {{{directions}}} directions of {{{length}}} elements one after the other (direction j of element i at j * {{{length}}} + i), {{(long){directions} * {length}}} values.\", nameof({p.Name}));");
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

    /// <summary>
    /// The elements after the vector loop (all of them where there is none), one at a time through the scalar
    /// vector-mode element function: each element's k directions gathered from the direction-major spans into contiguous
    /// buffers, and the written ones scattered back.
    /// </summary>
    private void WriteDirectionTail(IndentedWriter writer, string length, string index, string directions, List<DriverParameter> perElement)
    {
        var j = _direction;
        var buffers = perElement.ToDictionary(p => p.Name, p => _names.Fresh(p.Name + "At"));
        writer.WriteLine($"// One element at a time: its directions, gathered into contiguous spans, through {_driver.Element.Name}.");
        foreach (var p in perElement)
        {
            writer.WriteLine($"global::System.Span<{p.Type.ElementName}> {buffers[p.Name]} = stackalloc {p.Type.ElementName}[{directions}];");
        }

        writer.WriteLine($"for (; {index} < {length}; {index}++)");
        writer.OpenBrace();
        writer.WriteLine($"for (int {j} = 0; {j} < {directions}; {j}++)");
        writer.OpenBrace();
        foreach (var p in perElement)
        {
            writer.WriteLine($"{buffers[p.Name]}[{j}] = {p.Name}[{j} * {length} + {index}];");
        }

        writer.CloseBrace();
        writer.WriteLine($"{_driver.Element.Name}({ElementArguments(index, buffers)});");
        var written = perElement.Where(p => p.Type.Shape == TypeShape.Span).ToList();
        if (written.Count > 0)
        {
            writer.WriteLine($"for (int {j} = 0; {j} < {directions}; {j}++)");
            writer.OpenBrace();
            foreach (var p in written)
            {
                writer.WriteLine($"{p.Name}[{j} * {length} + {index}] = {buffers[p.Name]}[{j}];");
            }

            writer.CloseBrace();
        }

        writer.CloseBrace();
    }

    /// <summary>
    /// The uniform prelude and one vector loop per width, as lines; throws <see cref="NotVectorizable"/>. With
    /// <paramref name="directions"/> (the vector-mode tangent) each vector loop runs the tangent statements in a
    /// loop over the directions.
    /// </summary>
    private List<string> VectorCode(string length, string index, string? directions)
    {
        var body = CopyAssignedParameters(_source.Body.Statements.Where(s => s is not (LengthCheck or OverlapCheck)).ToList());
        Classify(body);
        var tangent = new List<Stmt>();
        if (directions is not null)
        {
            if (_driver.Directions is null)
            {
                throw new NotVectorizable("no single-direction tangent to vectorize");
            }

            var separated = SeparateTangents(body);
            body = Part(separated, tangents: false);
            tangent = Part(separated, tangents: true);
        }

        DeferUniformAdjoints(body);
        MergeDeferredSums(body);
        var lines = new List<string>();

        // Uniform statements, once; uniform tangents once per direction.
        var prelude = new IndentedWriter();
        WritePrelude(prelude, Uniform(body).ToList());

        if (directions is not null)
        {
            WriteUniformTangents(prelude, Uniform(tangent).ToList(), directions);
        }

        lines.AddRange(Lines(prelude.ToString()));
        var uniformValuesAt = lines.Count;
        // State the element function writes is stored back; state it only reads is not.
        var assigned = new Dictionary<string, int>();
        Count(body.Concat(tangent), assigned);
        var written = _driver.Parameters.Where(p => (p.Role == DriverRole.ElementState || p.Role == DriverRole.ElementDirections && p.Type.Shape == TypeShape.Span) && assigned.ContainsKey(p.Name)).ToList();
        var locals = _varying.Where(n => !_driver.Parameters.Any(p => p.Name == n) && !_accumulators.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var offset = directions is null ? null : _names.Fresh("offset");
        var first = true;
        foreach (var width in new[] { 512, 256, 128 })
        {
            var v = $"{Intrinsics}.Vector{width}";
            var vt = $"{v}<{_element.Name}>";
            var broadcasts = new List<string>();
            var perDirection = new List<string>();
            var loop = new List<string>();
            var directionLoop = new List<string>();
            var translator = new Translator(this, v, vt, broadcasts, perDirection);
            foreach (var statement in body)
            {
                translator.Statement(statement, null, loop, 2);
            }

            foreach (var statement in tangent)
            {
                translator.Statement(statement, null, directionLoop, 3);
            }

            string Load(DriverParameter p, string at)
                => $"{vt} {Vector(p.Name)} = {v}.LoadUnsafe(ref {Marshal}.GetReference({p.Name}), {at});";
            string Store(DriverParameter p, string at)
                => $"{v}.StoreUnsafe({Vector(p.Name)}, ref {Marshal}.GetReference({p.Name}), {at});";

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
                    lines.Add("        " + Load(parameter, $"(nuint){index}"));
                }
                else if (parameter.Role == DriverRole.Uniform && _varying.Contains(parameter.Name))
                {
                    lines.Add($"        {vt} {Vector(parameter.Name)} = {v}.Create({parameter.Name});");
                }
            }

            foreach (var local in locals.Where(n => !_tangents.Contains(n)))
            {
                lines.Add($"        {vt} {Vector(local)} = {vt}.Zero;");
            }

            lines.AddRange(loop);
            if (directions is not null && directionLoop.Count > 0)
            {
                // Each direction's tangents: the same elements in that direction's block.
                var j = _direction;
                lines.Add($"        for (int {j} = 0; {j} < {directions}; {j}++)");
                lines.Add("        {");
                lines.Add($"            nuint {offset} = (nuint)({j} * {length} + {index});");
                lines.AddRange(perDirection.Select(b => "            " + b));
                foreach (var parameter in _driver.Parameters.Where(p => p.Role == DriverRole.ElementDirections))
                {
                    lines.Add("            " + Load(parameter, offset!));
                }

                foreach (var local in locals.Where(_tangents.Contains))
                {
                    lines.Add($"            {vt} {Vector(local)} = {vt}.Zero;");
                }

                lines.AddRange(directionLoop);
                foreach (var parameter in written.Where(p => p.Role == DriverRole.ElementDirections))
                {
                    lines.Add("            " + Store(parameter, offset!));
                }

                lines.Add("        }");
            }

            foreach (var parameter in written.Where(p => p.Role == DriverRole.ElementState))
            {
                lines.Add("        " + Store(parameter, $"(nuint){index}"));
            }

            lines.Add("    }");
            foreach (var accumulator in _accumulators.Where(a => !_deferred.Contains(a) && _summedInLoop.Contains(a)))
            {
                lines.Add($"    {accumulator} += {v}.Sum({Vector(accumulator)});");
            }

            foreach (var local in _deferred.Where(d => !_mergedInto.ContainsKey(d)))
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

        lines.InsertRange(uniformValuesAt, _uniformValues.Select(u => $"{u.Value.Type} {u.Value.Name} = {u.Key};"));
        return lines;
    }

    /// <summary>
    /// The body with every parameter it assigns that the driver passes to all elements alike (a uniform value or
    /// tangent, or a per-element tangent in a read-only span) replaced by a local copy of it, declared first: the
    /// vector loop must not change what the other elements and the scalar tail receive. A uniform copy that the body
    /// assigns a per-element value becomes per-element from there on, as any local does.
    /// </summary>
    private List<Stmt> CopyAssignedParameters(List<Stmt> body)
    {
        var assigned = new Dictionary<string, int>();
        Count(body, assigned);
        var copies = new Dictionary<string, string>();
        var declarations = new List<Stmt>();
        foreach (var parameter in _source.Parameters)
        {
            var role = _driver.Parameters.FirstOrDefault(p => p.Name == parameter.Name);
            var shared = role is { Role: DriverRole.Uniform or DriverRole.UniformDirections }
                         || role is { Role: DriverRole.ElementDirections } && role.Type.Shape != TypeShape.Span;
            if (!shared || !assigned.ContainsKey(parameter.Name))
            {
                continue;
            }

            var copy = _names.Fresh(parameter.Name + "Copy");
            copies[parameter.Name] = copy;
            declarations.Add(new Declare(copy, parameter.Type, new VarRef(parameter.Name, parameter.Type)));
            if (_tangents.Contains(parameter.Name))
            {
                _tangents.Add(copy);
            }
        }

        return declarations.Concat(IrWalker.Rename(body, copies)).ToList();
    }

    /// <summary>
    /// The uniform statements, once, before the loop. The broadcasts before each vector loop read the uniform locals
    /// wherever they are declared, so a local declared in a (uniform) branch is declared before the statements,
    /// and assigned where it was declared.
    /// </summary>
    private static void WritePrelude(IndentedWriter writer, List<Stmt> statements)
    {
        var nested = new Dictionary<string, IrType>();
        Stmt? Undeclared(Stmt statement) => statement switch
        {
            Declare d => d.Init is null ? null : new Assign(d.Name, d.Init, d.Origin),
            If i => i with { Then = Undeclare(i.Then), Else = Undeclare(i.Else) },
            _ => statement,
        };
        Block Undeclare(Block block)
        {
            foreach (var declaration in block.Statements.OfType<Declare>())
            {
                if (nested.TryGetValue(declaration.Name, out var type) && type != declaration.Type)
                {
                    throw new NotVectorizable($"uniform locals named {declaration.Name} of two types");
                }

                nested[declaration.Name] = declaration.Type;
            }

            return new Block(block.Statements.Select(Undeclared).Where(s => s is not null).Select(s => s!).ToEquatableArray());
        }

        var body = statements.Select(s => s is If i ? Undeclared(i)! : s).ToList();
        foreach (var declaration in nested)
        {
            writer.WriteLine($"{declaration.Value.Name} {declaration.Key} = default;");
        }

        foreach (var statement in body)
        {
            CSharpEmitter.WriteStatement(writer, statement);
        }
    }

    private static IEnumerable<string> Lines(string text)
        => text.Split('\n').Where(l => l.Length > 0);

    // ---- Which values vary across elements ----

    private void Classify(List<Stmt> body)
    {
        foreach (var parameter in _driver.Parameters)
        {
            if (parameter.Role is DriverRole.ElementInput or DriverRole.ElementState or DriverRole.ElementDirections)
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
        => Where(statements, statement => statement switch
        {
            Declare d => !_varying.Contains(d.Name),
            Assign a => !_varying.Contains(a.Target) && !_accumulators.Contains(a.Target),
            _ => false,
        }, uniformBranchesOnly: true);

    /// <summary>
    /// The statements <paramref name="keep"/> selects, in order, inside the branches that hold them (those on uniform
    /// conditions only, if <paramref name="uniformBranchesOnly"/>).
    /// </summary>
    private IEnumerable<Stmt> Where(IEnumerable<Stmt> statements, Func<Stmt, bool> keep, bool uniformBranchesOnly)
    {
        foreach (var statement in statements)
        {
            if (statement is not If i)
            {
                if (keep(statement))
                {
                    yield return statement;
                }

                continue;
            }

            if (uniformBranchesOnly && IsVarying(i.Condition))
            {
                continue;
            }

            var then = Where(i.Then.Statements, keep, uniformBranchesOnly).ToList();
            var @else = Where(i.Else.Statements, keep, uniformBranchesOnly).ToList();
            if (then.Count + @else.Count > 0)
            {
                yield return i with { Then = new Block(then.ToEquatableArray()), Else = new Block(@else.ToEquatableArray()) };
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

    /// <summary>
    /// A deferred adjoint whose one use after the loop is to be added to, or subtracted from, an accumulator that the
    /// loop sums (the adjoint of 1 − β₁ to β₁'s) is summed into that accumulator's vector directly: one vector fewer
    /// held through the loop. The total is the same sum in another order.
    /// </summary>
    private void MergeDeferredSums(List<Stmt> body)
    {
        var afterLoop = AfterLoop(body).ToList();
        var all = WithMasks(afterLoop, masked: false).Select(n => n.Statement).ToList();
        foreach (var local in _deferred)
        {
            var readers = all.Where(st => st is Assign a && IrWalker.FreeVariables(a.Value).Contains(local) || st is If i && IrWalker.FreeVariables(i.Condition).Contains(local)).ToList();
            var written = all.Any(st => st is Assign a && a.Target == local);
            if (written || readers.Count != 1 || !afterLoop.Contains(readers[0]) || readers[0] is not Assign use || _deferred.Contains(use.Target))
            {
                continue;
            }

            if (SignedVariable(Accumulated(use)) is var (name, negated) && name == local)
            {
                _mergedInto[local] = (use.Target, negated);
            }
        }
    }

    /// <summary>The after-loop accumulation of a deferred adjoint that the loop sums into its accumulator already.</summary>
    private bool IsMergedSum(Assign assign)
        => SignedVariable(Accumulated(assign)) is var (name, negated)
           && _mergedInto.TryGetValue(name, out var merged)
           && merged == (assign.Target, negated);

    /// <summary>A share that is a variable or its negation: the variable and whether it is negated; or null.</summary>
    private static (string Name, bool Negated)? SignedVariable(Expr? share) => share switch
    {
        VarRef v => (v.Name, false),
        Unary { Op: UnaryOp.Negate, Operand: VarRef v } => (v.Name, true),
        _ => null,
    };

    /// <summary>
    /// The share of an accumulation: <c>x = x + share</c>, its first from zero (<c>x = share</c>) or a fused one
    /// (<c>x = fma(a, b, x)</c>, share a·b); or null.
    /// </summary>
    private static Expr? Accumulated(Assign assign)
        => assign.FromZero ? assign.Value
           : AccumulationForms.FusedShare(assign) is { } product ? product
           : assign.Value is Binary { Op: BinaryOp.Add, Left: VarRef self } sum && self.Name == assign.Target ? sum.Right : null;

    /// <summary>An accumulation as <c>x = x + share</c> or <c>x = fma(a, b, x)</c>, where x is not known to be zero.</summary>
    private static Stmt NotFromZero(Stmt statement) => statement switch
    {
        Assign { FromZero: true } a => a with { Value = new Binary(BinaryOp.Add, new VarRef(a.Target, a.Value.Type), a.Value, a.Value.Type), FromZero = false },
        If i => i with { Then = new Block(i.Then.Statements.Select(NotFromZero).ToEquatableArray()), Else = new Block(i.Else.Statements.Select(NotFromZero).ToEquatableArray()) },
        _ => statement,
    };

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

    /// <summary>
    /// The accumulations that run after the loop, in order, inside the uniform branches that hold them. A first share
    /// from zero is added there: the loop has summed the shares that came after it in the element's order.
    /// </summary>
    private IEnumerable<Stmt> AfterLoop(IEnumerable<Stmt> statements)
        => Where(statements, statement => statement is Assign a && RunsAfterLoop(a) && !IsMergedSum(a), uniformBranchesOnly: true).Select(NotFromZero);

    // ---- The vector-mode tangent: the primal statements once, the tangent statements once per direction ----

    private bool ReadsTangent(Expr? expression) => IrWalker.FreeVariables(expression).Any(_tangents.Contains);

    private bool IsTangentStatement(Stmt statement) => statement switch
    {
        Declare d => _tangents.Contains(d.Name),
        Assign a => _tangents.Contains(a.Target),
        _ => false,
    };

    private bool HoldsTangentStatements(IEnumerable<Stmt> statements)
        => statements.Any(s => IsTangentStatement(s) || s is If i && HoldsTangentStatements(i.Then.Statements.Concat(i.Else.Statements)));

    /// <summary>
    /// Rewrites the single-direction tangent so that all its primal statements can run before its tangent statements
    /// (which then run once per direction) and compute each per-element value only once. In a tangent statement,
    /// and in the condition of a per-element branch that holds tangent statements: a per-element primal variable
    /// that a later statement overwrites is read from a copy taken where the statement stood (<c>mOld = m</c>), and
    /// each per-element subexpression with no tangent in it (a partial derivative, <c>0.5 / t8</c>) becomes a local
    /// computed there (<c>partial = 0.5 / t8</c>). These locals are primal statements; the values do not change,
    /// only where they are computed. Classifies the result again.
    /// </summary>
    private List<Stmt> SeparateTangents(List<Stmt> body)
    {
        foreach (var (statement, _) in WithMasks(body, masked: false))
        {
            var reads = statement switch
            {
                Declare d when !IsTangentStatement(d) => ReadsTangent(d.Init),
                Assign a when !IsTangentStatement(a) => ReadsTangent(a.Value),
                If i => ReadsTangent(i.Condition),
                _ => false,
            };
            if (reads)
            {
                throw new NotVectorizable("a primal statement reads a tangent");
            }
        }

        // The position of each statement in order of execution, and of the last assignment to each variable.
        var position = 0;
        var lastAssigned = new Dictionary<string, int>();
        void Number(IEnumerable<Stmt> statements)
        {
            foreach (var statement in statements)
            {
                position++;
                switch (statement)
                {
                    case Declare { Init: not null } d:
                        lastAssigned[d.Name] = position;
                        break;
                    case Assign a:
                        lastAssigned[a.Target] = position;
                        break;
                    case If i:
                        Number(i.Then.Statements);
                        Number(i.Else.Statements);
                        break;
                }
            }
        }

        Number(body);

        // An expression read where position `here` stands, its tangent-free per-element parts computed before it.
        Expr Hoist(Expr expression, int here, Dictionary<string, string> copies, List<Stmt> output)
            => IrWalker.Rewrite(expression, e =>
            {
                if (ReadsTangent(e))
                {
                    return null;
                }

                if (!IsVarying(e))
                {
                    return e;
                }

                if (e is VarRef v)
                {
                    if (!lastAssigned.TryGetValue(v.Name, out var last) || last <= here)
                    {
                        return e;
                    }

                    if (!copies.TryGetValue(v.Name, out var copy))
                    {
                        copy = _names.Fresh(v.Name + "Old");
                        copies[v.Name] = copy;
                        output.Add(new Declare(copy, v.Type, v));
                    }

                    return new VarRef(copy, v.Type);
                }

                var name = _names.Fresh(e.Type.Kind == ScalarKind.Bool ? "test" : "partial");
                output.Add(new Declare(name, e.Type, e));
                return new VarRef(name, e.Type);
            });

        List<Stmt> Separate(IEnumerable<Stmt> statements, Dictionary<string, string> copies)
        {
            var output = new List<Stmt>();
            foreach (var statement in statements)
            {
                var here = ++position;
                switch (statement)
                {
                    case Declare { Init: { } init } d when IsTangentStatement(d):
                        var initial = Hoist(init, here, copies, output);
                        output.Add(d with { Init = initial });
                        break;
                    case Assign a when IsTangentStatement(a):
                        var value = Hoist(a.Value, here, copies, output);
                        output.Add(a with { Value = value });
                        break;
                    case If i:
                    {
                        var condition = IsVarying(i.Condition) && HoldsTangentStatements(i.Then.Statements.Concat(i.Else.Statements))
                            ? Hoist(i.Condition, here, copies, output)
                            : i.Condition;
                        var then = Separate(i.Then.Statements, new Dictionary<string, string>(copies));
                        var @else = Separate(i.Else.Statements, new Dictionary<string, string>(copies));
                        output.Add(i with { Condition = condition, Then = new Block(then.ToEquatableArray()), Else = new Block(@else.ToEquatableArray()) });

                        // A copy taken before the branches no longer holds what they assign.
                        var assigned = new Dictionary<string, int>();
                        Count(i.Then.Statements.Concat(i.Else.Statements), assigned);
                        foreach (var name in assigned.Keys)
                        {
                            copies.Remove(name);
                        }

                        break;
                    }

                    case Declare d:
                        copies.Remove(d.Name);
                        output.Add(d);
                        break;
                    case Assign a:
                        copies.Remove(a.Target);
                        output.Add(a);
                        break;
                    default:
                        output.Add(statement);
                        break;
                }
            }

            return output;
        }

        position = 0;
        var separated = Separate(body, new Dictionary<string, string>());
        _varying.Clear();
        Classify(separated);
        return separated;
    }

    /// <summary>
    /// The primal statements of the separated tangent, or its tangent statements, in order, inside the branches that
    /// hold them; with the source comments that head some of them.
    /// </summary>
    private List<Stmt> Part(List<Stmt> separated, bool tangents)
        => Headed(Where(separated, s => s is Comment || IsTangentStatement(s) == tangents, uniformBranchesOnly: false));

    /// <summary>The statements without the comments that head none (followed by another comment or the end of the block), and without branches left empty.</summary>
    private static List<Stmt> Headed(IEnumerable<Stmt> statements)
    {
        var list = new List<Stmt>();
        foreach (var statement in statements)
        {
            if (statement is If i)
            {
                var then = Headed(i.Then.Statements);
                var @else = Headed(i.Else.Statements);
                if (then.Count + @else.Count > 0)
                {
                    list.Add(i with { Then = new Block(then.ToEquatableArray()), Else = new Block(@else.ToEquatableArray()) });
                }
            }
            else
            {
                list.Add(statement);
            }
        }

        return list.Where((s, k) => s is not Comment || (k + 1 < list.Count && list[k + 1] is not Comment)).ToList();
    }

    /// <summary>
    /// The uniform tangents (of 1 − β, of a bias correction) in every direction, before the loop: each local one a
    /// span of k values (a uniform parameter's tangents are one already), which the loop reads in its direction.
    /// </summary>
    private void WriteUniformTangents(IndentedWriter writer, List<Stmt> statements, string directions)
    {
        if (statements.Count == 0)
        {
            return;
        }

        var direction = new VarRef(_direction, IrType.Int);
        IEnumerable<Stmt> InDirection(IEnumerable<Stmt> block)
        {
            foreach (var statement in block)
            {
                switch (statement)
                {
                    case Declare { Init: { } init } d:
                        yield return new Store(d.Name, direction, MultiTangentPass.AtDirection(init, _tangents, direction));
                        break;
                    case Assign a:
                        yield return new Store(a.Target, direction, MultiTangentPass.AtDirection(a.Value, _tangents, direction));
                        break;
                    case If i:
                        yield return i with
                        {
                            Then = new Block(InDirection(i.Then.Statements).ToEquatableArray()),
                            Else = new Block(InDirection(i.Else.Statements).ToEquatableArray()),
                        };
                        break;
                }
            }
        }

        IEnumerable<Declare> Declarations(IEnumerable<Stmt> block)
            => block.SelectMany(s => s switch
            {
                Declare d => new[] { d },
                If i => Declarations(i.Then.Statements.Concat(i.Else.Statements)),
                _ => Enumerable.Empty<Declare>(),
            });

        writer.WriteLine("// The uniform tangents in each direction.");
        foreach (var declaration in Declarations(statements))
        {
            var element = declaration.Type.Name;
            writer.WriteLine($"global::System.Span<{element}> {declaration.Name} = stackalloc {element}[{directions}];");
        }

        writer.WriteLine($"for (int {_direction} = 0; {_direction} < {directions}; {_direction}++)");
        writer.OpenBrace();
        foreach (var statement in InDirection(statements))
        {
            CSharpEmitter.WriteStatement(writer, statement);
        }

        writer.CloseBrace();
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
        private readonly List<string> _perDirection;
        private readonly Dictionary<string, string> _broadcastNames = new();

        /// <summary>Uniform values go to <paramref name="broadcasts"/> (before the loop), uniform tangents to <paramref name="perDirection"/> (in the loop over the directions).</summary>
        public Translator(SimdDriverEmitter owner, string v, string vt, List<string> broadcasts, List<string> perDirection)
        {
            _owner = owner;
            _v = v;
            _vt = vt;
            _broadcasts = broadcasts;
            _perDirection = perDirection;
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
                    NotInteger(d.Name, d.Type);
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

                    var (target, negated) = _owner._mergedInto.TryGetValue(a.Target, out var merged) ? merged : (a.Target, false);
                    var sum = _owner.Vector(target);
                    _owner._summedInLoop.Add(target);
                    if (mask is null && AccumulationForms.Product(accumulated) is var (left, right))
                    {
                        // Each element's share of a product is added to the vector sum by one fma, as a fused
                        // accumulation is in the element function.
                        output.Add(pad + $"{sum} = {_v}.FusedMultiplyAdd({(negated ? $"-({Vec(left)})" : Vec(left))}, {Vec(right)}, {sum});");
                        break;
                    }

                    var share = Vec(accumulated);
                    output.Add(pad + $"{sum} {(negated ? "-=" : "+=")} {(mask is null ? share : $"{_v}.ConditionalSelect({mask}, {share}, {_vt}.Zero)")};");
                    break;
                }

                case Assign a when _owner._varying.Contains(a.Target):
                    NotInteger(a.Target, a.Value.Type);
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

        /// <summary>A per-element integer would be computed in floating point, which rounds and does not wrap: it has no vector form.</summary>
        private static void NotInteger(string name, IrType type)
        {
            if (type.Kind == ScalarKind.Integer)
            {
                throw new NotVectorizable($"the integer {name} varies across elements");
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
                {
                    // The same branch for every element: evaluate only that one. A condition on a uniform tangent
                    // (lrDot == 0) reads it in the current direction (lrDot[j]) in the vector-mode driver.
                    var condition = _owner.ReadsTangent(c.Condition)
                        ? MultiTangentPass.AtDirection(c.Condition, _owner._tangents, new VarRef(_owner._direction, IrType.Int))
                        : c.Condition;
                    return $"({CSharpSyntax.Print(condition)} ? {Vec(c.WhenTrue)} : {Vec(c.WhenFalse)})";
                }
                case Conditional c:
                    return $"{_v}.ConditionalSelect({Vec(c.Condition)}, {Vec(c.WhenTrue)}, {Vec(c.WhenFalse)})";
                // Sqrt and Abs are exact in every lane. Vector Exp and Log are not Math.Exp and Math.Log to the last bit
                // (they differ by an ulp on some inputs), so a method that calls them keeps the scalar loop, whose
                // results are the element function's, bit for bit.
                case IntrinsicCall { Function: Intrinsic.Sqrt or Intrinsic.Abs } i:
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

        /// <summary>
        /// A uniform value as a vector, computed once before the loop; a uniform tangent (<c>lrDot</c>) once per
        /// direction, from its value in that direction (<c>lrDot[j]</c>). A literal stays in place, a constant the
        /// JIT reads from memory (or makes: zero), so that it takes no register through the loop.
        /// </summary>
        private string Broadcast(Expr expression)
        {
            if (expression is Literal literal && literal.Type.Kind is ScalarKind.Double or ScalarKind.Float)
            {
                return $"{_v}.Create(({Element.Name})({CSharpSyntax.Print(literal)}))";
            }

            var inDirection = _owner.ReadsTangent(expression);
            var direction = new VarRef(_owner._direction, IrType.Int);
            var scalar = CSharpSyntax.Print(inDirection ? MultiTangentPass.AtDirection(expression, _owner._tangents, direction) : expression);
            if (!_broadcastNames.TryGetValue(scalar, out var name))
            {
                name = inDirection && expression is VarRef tangent ? _owner.Vector(tangent.Name) : _owner._names.Fresh("uniform");
                _broadcastNames[scalar] = name;
                if (!inDirection && expression.Type.Kind != ScalarKind.Bool && IrWalker.Any(expression, e => e is Call or IntrinsicCall))
                {
                    // A value that may call a function (Math.Pow) is computed once, after the uniform statements
                    // and before any vector: a vector live across a call is spilled (every vector register is
                    // caller-saved) and then reloaded from the stack in each iteration of the loop.
                    if (!_owner._uniformValues.TryGetValue(scalar, out var value))
                    {
                        value = (_owner._names.Fresh("uniformValue"), expression.Type.Name);
                        _owner._uniformValues[scalar] = value;
                    }

                    scalar = value.Name;
                }

                (inDirection ? _perDirection : _broadcasts).Add(expression.Type.Kind == ScalarKind.Bool
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
