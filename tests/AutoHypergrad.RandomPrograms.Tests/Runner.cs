using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AutoHypergrad.RandomPrograms.Tests;

public sealed class RunOptions
{
    public int Count { get; init; } = 2000;

    public ulong Seed { get; init; } = 42;

    public int BatchSize { get; init; } = 100;

    /// <summary>Programs' own seeds (a report's "seed …"), to rerun just those; null: <see cref="Count"/> programs from <see cref="Seed"/>.</summary>
    public IReadOnlyList<ulong>? Replay { get; init; }

    /// <summary>How many failures of each distinct failure (class and key) are shrunk and shown.</summary>
    public int ExamplesPerFailure { get; init; } = 1;

    /// <summary>Time allowed to shrink one failure.</summary>
    public TimeSpan ShrinkBudget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time allowed for all the shrinking of a run.</summary>
    public TimeSpan TotalShrinkBudget { get; init; } = TimeSpan.FromSeconds(90);

    public bool Cuda { get; init; } = true;

    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>A failure shown in the report: the first programs of each distinct failure, shrunk.</summary>
public sealed record Example(string Id, Prog Original, Prog Shrunk, Finding Finding, int ShrinkSteps, string? GeneratedSource);

public sealed class RunReport
{
    public int Programs { get; set; }

    public int Methods { get; set; }

    public Dictionary<string, int> Shapes { get; } = new(StringComparer.Ordinal);

    /// <summary>Programs per construct of <see cref="Constructs"/> (a program counts once per construct it holds).</summary>
    public Dictionary<string, int> ConstructCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The constructs counted in the programs' source, to show what a run covered.</summary>
    public static readonly (string Name, System.Text.RegularExpressions.Regex Pattern)[] Constructs =
    [
        .. new (string, string)[]
        {
            ("if/else", @"\belse\b"), ("?:", @" \? "), ("switch", @"\bswitch \("), ("for", @"\bfor \("), ("while", @"\bwhile \("),
            ("do-while", @"\bdo\n"), ("foreach", @"\bforeach \("), ("break", @"\bbreak;"), ("continue", @"\bcontinue;"),
            ("return inside a branch or loop", @"\n {12,}return\b"), ("compound assignment", @" [-+*/]= "), ("++/--", @"(\+\+|--);"),
            ("Math function", @"\bMath\.(?!PI)"), ("const", @"\bconst double\b|\bHalf\b|Math\.PI"),
            ("TensorPrimitives", @"\bTensorPrimitives\."), ("span or array parameter", @"(Span<double>|double\[\]) \w+[,)]"),
            ("stackalloc / new local", @"stackalloc|new double\["), ("ref argument", @"(?<!(?:double|void) )\bG\d\([^;]*?\bref \w"),
            ("out argument", @"(?<!(?:double|void) )\bG\d\([^;]*?\bout \w"), ("in argument", @"(?<!(?:double|void) )\bG\d\([^;]*?\bin \w"), ("[NoDiff]", @"\[NoDiff\]"), ("[Hyper]", @"\[Hyper\]"), ("int parameter", @"\bint n\d"),
            ("call", @"(?<!(?:double|void) )\bG\d\("), ("Order = 2", @"Order = 2"), ("Order = 2 calling Order = 2", @"(?s)Order = 2\)\]\s+public static double F\(.*\bG\d\("),
            ("[OptimizerStep]", @"OptimizerStep"),
        }.Select(c => (c.Item1, new System.Text.RegularExpressions.Regex(c.Item2, System.Text.RegularExpressions.RegexOptions.Compiled))),
    ];

    /// <summary>Programs per class (a program counts once per class it fails in).</summary>
    public Dictionary<string, int> ByClass { get; } = new(StringComparer.Ordinal);

    /// <summary>Programs per distinct failure (class and key, e.g. "false diagnostic: AHG0003").</summary>
    public Dictionary<string, int> ById { get; } = new(StringComparer.Ordinal);

    public List<Example> Examples { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public string CudaNote { get; set; } = string.Empty;

    /// <summary>Failures that are findings (not the clean count, not inconclusive points).</summary>
    public IEnumerable<string> FailureIds => ById.Keys.Where(k => !k.StartsWith(Classes.Inconclusive, StringComparison.Ordinal) && !k.StartsWith(Classes.Info, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal);

    public string Table()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"programs generated: {Programs} ({string.Join(", ", Shapes.OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key}"))}; {Methods} [Differentiable] methods), {Elapsed.TotalSeconds:F0} s\n");
        sb.Append("constructs (programs holding each): ").Append(string.Join(", ", Constructs.Select(c => $"{c.Name} {ConstructCounts.GetValueOrDefault(c.Name)}"))).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"span drivers: {Checks.AcceleratedWidths}\n");
        if (CudaNote.Length > 0)
        {
            sb.Append(CudaNote).Append('\n');
        }

        foreach (var cls in Classes.Order)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {cls,-48} {ByClass.GetValueOrDefault(cls),6}\n");
            foreach (var id in ById.Keys.Where(k => k.StartsWith(cls + ": ", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal))
            {
                sb.Append(CultureInfo.InvariantCulture, $"      {id[(cls.Length + 2)..],-44} {ById[id],6}\n");
            }
        }

        return sb.ToString();
    }

    public string Failures()
    {
        var sb = new StringBuilder();
        foreach (var e in Examples)
        {
            sb.Append("==== ").Append(e.Id).Append(CultureInfo.InvariantCulture, $" ({ById.GetValueOrDefault(e.Id)} program(s); seed {e.Original.Seed}, {e.ShrinkSteps} shrink steps)\n");
            sb.Append(Printer.Display(e.Shrunk));
            // The lines that make it a failure first: a point where finite differences were unreliable is not one.
            var lines = e.Finding.Message.Split('\n');
            string message = string.Join("\n", lines.Where(l => !l.Contains("bad test point", StringComparison.Ordinal))
                .Concat(lines.Where(l => l.Contains("bad test point", StringComparison.Ordinal))));
            if (message.Length > 2500)
            {
                message = message[..2500] + " …";
            }

            sb.Append("-- ").Append(message.Replace("\n", "\n   ", StringComparison.Ordinal)).Append("\n\n");
        }

        return sb.ToString();
    }
}

/// <summary>Generates programs in batches, compiles each batch at once, checks, and shrinks the first failures of each kind.</summary>
public static class Runner
{
    public static RunReport Run(RunOptions options)
    {
        var watch = Stopwatch.StartNew();
        var report = new RunReport();
        var firsts = new Dictionary<string, List<(Prog Prog, Finding Finding, string? Source)>>(StringComparer.Ordinal);
        var cuda = options.Cuda ? new CudaChecks() : null;
        report.CudaNote = cuda?.Note ?? "CUDA: not checked (disabled)";
        int count = options.Replay?.Count ?? options.Count;
        List<Prog> Batch(int start) => Enumerable.Range(start, Math.Min(options.BatchSize, count - start))
            .Select(i => ProgramGenerator.Generate(options.Replay?[i] ?? SeedOf(options.Seed, i), "P" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        Task<(List<Prog>, LoadedBatch)> Compiling(int start)
        {
            var progs = Batch(start);
            return Task.Run(() => (progs, CompileTimed(progs)));
        }

        // Pipelined on the two cores: the next batch compiles (generator and Roslyn) while this one is checked (and
        // its CUDA C is compiled by g++, another process).
        var compiling = count > 0 ? Compiling(0) : null;
        for (int start = 0; start < count; start += options.BatchSize)
        {
            int size = Math.Min(options.BatchSize, count - start);
            var (progs, compiled) = compiling!.GetAwaiter().GetResult();
            compiling = start + size < count ? Compiling(start + size) : null;
            var results = Evaluate(progs, null, cuda, compiled);
            foreach (var (p, (findings, source)) in results)
            {
                report.Programs++;
                report.Methods += 1 + p.Callees.Length;
                string shape = p.Main.Elementwise ? "elementwise" : p.Main.Order == 2 ? "Order = 2" : p.Callees.Length > 0 ? "with callees" : "general";
                report.Shapes[shape] = report.Shapes.GetValueOrDefault(shape) + 1;
                string text = Printer.Display(p);
                foreach (var (name, pattern) in RunReport.Constructs.Where(c => c.Pattern.IsMatch(text)))
                {
                    report.ConstructCounts[name] = report.ConstructCounts.GetValueOrDefault(name) + 1;
                }

                if (findings.All(f => f.Class == Classes.Info))
                {
                    report.ByClass[Classes.Clean] = report.ByClass.GetValueOrDefault(Classes.Clean) + 1;
                }

                foreach (var cls in findings.Select(f => f.Class).Distinct())
                {
                    report.ByClass[cls] = report.ByClass.GetValueOrDefault(cls) + 1;
                }

                foreach (var f in findings.GroupBy(f => f.Id).Select(g => g.First()))
                {
                    report.ById[f.Id] = report.ById.GetValueOrDefault(f.Id) + 1;
                    if (!firsts.TryGetValue(f.Id, out var list))
                    {
                        firsts[f.Id] = list = [];
                    }

                    if (list.Count < options.ExamplesPerFailure)
                    {
                        list.Add((p, f, source));
                    }
                }
            }

            options.Log($"{start + size} programs, {watch.Elapsed.TotalSeconds:F0} s (compile {CompileTime.TotalSeconds:F0} s = generator {BatchCompiler.GeneratorTime.TotalSeconds:F0} + first emit {BatchCompiler.DiagnosticsTime.TotalSeconds:F0} + second emit {BatchCompiler.EmitTime.TotalSeconds:F0}, checks {CheckTime.TotalSeconds:F0} s, of which CUDA host build {CudaChecks.HostBuildTime.TotalSeconds:F0} s, NVRTC {CudaChecks.NvrtcTime.TotalSeconds:F0} s): " + string.Join(", ", report.ByClass.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        }

        var shrinkWatch = Stopwatch.StartNew();
        foreach (var (id, list) in firsts.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (id.StartsWith(Classes.Inconclusive, StringComparison.Ordinal) || id.StartsWith(Classes.Info, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (p, f, source) in list)
            {
                var budget = TimeSpan.FromTicks(Math.Min(options.ShrinkBudget.Ticks, Math.Max(0, (options.TotalShrinkBudget - shrinkWatch.Elapsed).Ticks)));
                var (shrunk, finding, steps) = Shrink(p, f, budget, cuda);
                options.Log($"shrunk {id}: {Printer.Display(p).Length} -> {Printer.Display(shrunk).Length} chars in {steps} steps");
                report.Examples.Add(new Example(id, p, shrunk, finding, steps, source));
            }
        }

        report.Elapsed = watch.Elapsed;
        return report;
    }

    private static long s_compileTicks;

    public static TimeSpan CompileTime => TimeSpan.FromTicks(Interlocked.Read(ref s_compileTicks));

    private static LoadedBatch CompileTimed(IReadOnlyList<Prog> progs)
    {
        var watch = Stopwatch.StartNew();
        var batch = BatchCompiler.Compile(progs);
        Interlocked.Add(ref s_compileTicks, watch.Elapsed.Ticks);
        return batch;
    }

    public static TimeSpan CheckTime { get; private set; }

    public static ulong SeedOf(ulong seed, int index)
    {
        ulong z = seed + (0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Compiles the programs together, then checks each one that compiled clean.</summary>
    public static Dictionary<Prog, (List<Finding> Findings, string? Source)> Evaluate(IReadOnlyList<Prog> progs, string? which, CudaChecks? cuda, LoadedBatch? compiled = null)
    {
        var batch = compiled ?? CompileTimed(progs);
        var checkWatch = Stopwatch.StartNew();
        var checkable = progs.Where(p => batch.Types.ContainsKey(p)).ToList();
        var elementwise = checkable.Where(p => p.Main.Elementwise && (which is null || which == Classes.CudaMismatch)).Select(p => (p, batch.Types[p])).ToList();

        // The CUDA checks (NVRTC in this process, g++ in another) run beside the numeric checks, which share the cores
        // program by program (the generated methods are static and each program's own; Kink's state is per thread).
        var cudaFindings = cuda is not null && elementwise.Count > 0 ? Task.Run(() => cuda.Check(elementwise).ToList()) : null;
        var numeric = new List<Finding>[checkable.Count];
        if (which is null || which != Classes.CudaMismatch)
        {
            Parallel.For(0, checkable.Count, j => numeric[j] = Checks.Run(checkable[j], batch.Types[checkable[j]], which));
        }

        var results = progs.ToDictionary(p => p, p => (batch.Findings[p], batch.GeneratedSources.GetValueOrDefault(p)));
        for (int j = 0; j < checkable.Count; j++)
        {
            results[checkable[j]].Item1.AddRange(numeric[j] ?? []);
        }

        foreach (var (p, f) in cudaFindings?.GetAwaiter().GetResult() ?? [])
        {
            results[p].Item1.Add(f);
        }

        batch.Context?.Unload();
        CheckTime += checkWatch.Elapsed;
        return results;
    }

    /// <summary>Greedy shrinking: of each round's variants, compiled and checked together in chunks, the smallest that still fails the same way wins.</summary>
    public static (Prog Prog, Finding Finding, int Steps) Shrink(Prog prog, Finding finding, TimeSpan budget, CudaChecks? cuda)
    {
        var watch = Stopwatch.StartNew();
        string which = finding.Class is Classes.WrongTangent or Classes.WrongAdjoint or Classes.WrongHvp or Classes.SpanDriverMismatch
            or Classes.VectorModeMismatch or Classes.VectorizedStepMismatch or Classes.CudaMismatch or Classes.RuntimeException ? finding.Class : string.Empty;
        int steps = 0, serial = 0;
        var current = prog;
        var currentFinding = finding;
        const int Chunk = 48;
        while (watch.Elapsed < budget)
        {
            var variants = Shrinker.Variants(current).Distinct().ToList();
            bool improved = false;
            int size = Printer.Display(current).Length;
            for (int start = 0; start < variants.Count && watch.Elapsed < budget; start += Chunk)
            {
                var chunk = variants.Skip(start).Take(Chunk)
                    .Select(v => v with { ClassName = $"S{serial++}" })
                    .Where(v => Printer.Display(v).Length < size)
                    .ToList();
                if (chunk.Count == 0)
                {
                    continue;
                }

                var results = Evaluate(chunk, which.Length == 0 ? "none" : which == Classes.RuntimeException ? null : which, which == Classes.CudaMismatch ? cuda : null);
                var best = chunk
                    .Select(v => (v, f: results[v].Findings.FirstOrDefault(f => f.Id == finding.Id)))
                    .Where(x => x.f is not null)
                    .OrderBy(x => Printer.Display(x.v).Length)
                    .FirstOrDefault();
                if (best.f is not null)
                {
                    current = best.v;
                    currentFinding = best.f;
                    steps++;
                    improved = true;
                    break;
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return (current with { ClassName = prog.ClassName }, currentFinding, steps);
    }
}
