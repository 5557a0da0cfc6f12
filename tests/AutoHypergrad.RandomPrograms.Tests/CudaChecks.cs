using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using AutoHypergrad.Cuda;
using AutoHypergrad.Cuda.Tests;
using AutoHypergrad.Testing;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// The CUDA C of elementwise methods (the generated <c>{Method}Cuda{Double|Single}</c> module): where libnvrtc loads,
/// each module compiles with NVRTC to PTX for compute_80 with an empty log (PTX only: the front end is what random
/// programs exercise, and ptxas, which would double the time, runs on the CUDA tests' modules (generated and hand-written) for sm_80 and sm_90
/// by the CUDA tests); and each module, compiled as host C++ with g++
/// (<see cref="HostDevice"/>: one block of one thread), computes the primal, the tangent (k directions) and the adjoint
/// with the bits of the generated C# scalar methods, element by element, on the same inputs (the uniform adjoints
/// summed in element order on both sides). The modules of a batch go to g++ at once, each in a namespace of its own
/// (their helpers are static; their kernels' names hold the class name, so they do not collide).
/// </summary>
public sealed class CudaChecks
{
    /// <summary>Elements per kernel launch: odd, so that nothing lines up with a power of two.</summary>
    public const int Elements = 7;

    /// <summary>Tangent directions of the tangent kernel, each against one call of the scalar tangent.</summary>
    public const int Directions = 2;

    private readonly HostDevice _device = new();
    private readonly HostDevice _lenient = new() { WarningsAreErrors = false };
    private readonly string? _hostMissing;
    private readonly string? _nvrtcSkip;
    private int _batch;

    public CudaChecks()
    {
        _nvrtcSkip = NvrtcLibrary.SkipReason;
        _hostMissing = GppMissing();
        Note = (_nvrtcSkip is null
                ? "CUDA: NVRTC compiles each elementwise module to PTX for compute_80 with an empty log"
                : $"CUDA: NVRTC NOT CHECKED ({_nvrtcSkip} With AUTOHYPERGRAD_REQUIRE_NVRTC=1 a missing NVRTC is a failure.)")
            + (_hostMissing is null
                ? "; host build (g++) of each module compared bit for bit with the C# scalar primal, tangent and adjoint"
                : $"; host build NOT CHECKED ({_hostMissing})");
    }

    public string Note { get; }

    public static TimeSpan NvrtcTime { get; private set; }

    public static TimeSpan HostBuildTime { get; private set; }

    public IEnumerable<(Prog Prog, Finding Finding)> Check(List<(Prog Prog, Type Type)> items)
    {
        var findings = new List<(Prog, Finding)>();
        var modules = new List<(Prog Prog, Type Type, Method Method, CudaModuleSource Module)>();
        foreach (var (p, type) in items)
        {
            foreach (var m in p.Methods.Where(m => m.Elementwise))
            {
                var module = CudaModuleSource.Find<double>(type, m.Name) ?? CudaModuleSource.Find<float>(type, m.Name);
                if (module is not null)
                {
                    modules.Add((p, type, m, module));
                }
            }
        }

        if (modules.Count == 0)
        {
            return findings;
        }

        if (_nvrtcSkip is null)
        {
            var watch = Stopwatch.StartNew();
            // One NVRTC run for the batch (each run costs about 0.15 s before it reads a line); where it fails or logs
            // anything, each module again on its own, to tell which.
            var (combined, _) = Combine(modules.Select(x => x.Module.Source).ToList());
            if (Nvrtc(new CudaProgram($"RandomNvrtcBatch{_batch}", combined, modules.SelectMany(x => x.Module.Kernels).ToList())) is not null)
            {
                var results = new Finding?[modules.Count];
                Parallel.For(0, modules.Count, j => results[j] = Nvrtc(modules[j].Module));
                findings.AddRange(results.Select((f, j) => (modules[j].Prog, f)).Where(x => x.f is not null).Select(x => (x.Prog, x.f!)));
            }

            NvrtcTime += watch.Elapsed;
        }

        if (_hostMissing is not null)
        {
            return findings;
        }

        var buildWatch = Stopwatch.StartNew();
        var loaded = new Dictionary<CudaModuleSource, ILoadedModule>();
        var remaining = modules.ToList();
        var warnedOnly = new List<(Prog Prog, Type Type, Method Method, CudaModuleSource Module)>();
        while (remaining.Count > 0)
        {
            // One g++ run for the batch; a module that g++ rejects (by the lines of its messages) is a finding, and
            // the others go again without it.
            var (source, starts) = Combine(remaining.Select(x => x.Module.Source).ToList());
            try
            {
                var module = _device.Load(new CudaProgram($"RandomBatch{_batch++}", source, remaining.SelectMany(x => x.Module.Kernels).ToList()));
                foreach (var x in remaining)
                {
                    loaded[x.Module] = module;
                }

                break;
            }
            catch (InvalidOperationException e)
            {
                var culprits = Culprits(e.Message, starts);
                if (culprits.Count == 0)
                {
                    culprits = Enumerable.Range(0, remaining.Count).ToHashSet();
                }

                foreach (int j in culprits)
                {
                    string messages = Messages(e.Message, starts, j);
                    var errors = messages.Split('\n').Where(l => l.Contains(": error:", StringComparison.Ordinal)).ToList();
                    var warning = errors.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"\[-Werror=([\w-]+)\]")).ToList();
                    bool onlyWarnings = errors.Count > 0 && warning.All(w => w.Success);
                    if (onlyWarnings)
                    {
                        warnedOnly.Add(remaining[j]);
                    }

                    findings.Add((remaining[j].Prog, new Finding(Classes.CudaMismatch, onlyWarnings ? "g++ warning " + warning[0].Groups[1].Value : "g++ error",
                        $"the CUDA C of {remaining[j].Module.Name}, compiled as host C++ (g++ -Wall -Werror), fails:\n" + messages)));
                }

                remaining = remaining.Where((_, j) => !culprits.Contains(j)).ToList();
            }
        }

        if (warnedOnly.Count > 0)
        {
            // Warnings only: still compare the numbers, from a build that lets them pass.
            try
            {
                var (source, _) = Combine(warnedOnly.Select(x => x.Module.Source).ToList());
                var module = _lenient.Load(new CudaProgram($"RandomBatch{_batch++}", source, warnedOnly.SelectMany(x => x.Module.Kernels).ToList()));
                foreach (var x in warnedOnly)
                {
                    loaded[x.Module] = module;
                }
            }
            catch (InvalidOperationException)
            {
                // Reported above.
            }
        }

        HostBuildTime += buildWatch.Elapsed;
        foreach (var x in modules.Where(x => loaded.ContainsKey(x.Module)))
        {
            try
            {
                var errors = x.Module.Element == "float"
                    ? Compare<float>(x.Method, x.Type, x.Module, loaded[x.Module])
                    : Compare<double>(x.Method, x.Type, x.Module, loaded[x.Module]);
                foreach (var group in errors.GroupBy(e => e.Kernel))
                {
                    findings.Add((x.Prog, new Finding(Classes.CudaMismatch, "host " + group.Key,
                        $"the host build of {x.Module.Name} differs from the C# scalar methods ({Elements} elements, {Directions} directions):\n"
                        + string.Join("\n", group.Take(12).Select(e => e.Text)))));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                findings.Add((x.Prog, new Finding(Classes.CudaMismatch, "host run " + e.GetType().Name, e.ToString())));
            }
        }

        return findings;
    }

    /// <summary>The modules, each in a namespace of its own, and the line (1-based, in the host build's file, after the shim) where each starts.</summary>
    private static (string Source, List<int> Starts) Combine(List<string> sources)
    {
        var sb = new System.Text.StringBuilder();
        var starts = new List<int>();
        int line = HostDevice.Shim.Split('\n').Length + 1;
        for (int j = 0; j < sources.Count; j++)
        {
            string text = $"namespace ahg_module{j}\n{{\n{sources[j]}\n}}\n";
            starts.Add(line);
            sb.Append(text);
            line += text.Count(c => c == '\n');
        }

        return (sb.ToString(), starts);
    }

    private static readonly System.Text.RegularExpressions.Regex MessageLine = new(@"\.cpp:(\d+):\d+: (?:error|warning)", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static int ModuleAt(int line, List<int> starts)
    {
        int j = starts.FindLastIndex(s => s <= line);
        return j;
    }

    private static HashSet<int> Culprits(string message, List<int> starts) =>
        MessageLine.Matches(message).Select(m => ModuleAt(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), starts)).Where(j => j >= 0).ToHashSet();

    /// <summary>g++'s messages about module <paramref name="j"/>: the lines from each of its "error:" lines to the next file-located line of another module.</summary>
    private static string Messages(string message, List<int> starts, int j)
    {
        var lines = message.Split('\n');
        var kept = new List<string>();
        int current = -1;
        foreach (var l in lines)
        {
            var m = System.Text.RegularExpressions.Regex.Match(l, @"\.cpp:(\d+):");
            if (m.Success)
            {
                current = ModuleAt(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), starts);
            }

            if (current == j)
            {
                kept.Add(l);
            }
        }

        return kept.Count > 0 ? string.Join("\n", kept.Take(20)) : message;
    }

    /// <summary>NVRTC to PTX for compute_80: an error, a non-empty log, or NVRTC missing where it is required is a finding.</summary>
    private static Finding? Nvrtc(CudaProgram module)
    {
        try
        {
            var compiled = CudaCompiler.Compile(module, "compute_80");
            return compiled.Log.Length == 0 ? null : new Finding(Classes.CudaMismatch, "NVRTC log", $"{module.Name} compiled for compute_80 with a log:\n{compiled.Log}");
        }
        catch (CudaUnavailableException e)
        {
            return new Finding(Classes.CudaMismatch, "NVRTC unavailable", $"{NvrtcLibrary.Requirement.RequireVariable}=1 but {e.Message}");
        }
        catch (CudaException e)
        {
            return new Finding(Classes.CudaMismatch, "NVRTC error", e.Message);
        }
    }

    private static string? GppMissing()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("g++", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return "g++ did not start";
            }

            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : "g++ --version failed";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "g++ not found: " + e.Message;
        }
    }

    private sealed record Mismatch(string Kernel, string Text);

    private static bool PerElement(Param q) => q.Kind is PKind.Ref or PKind.Value;

    private static bool Active(Param q) => q.Kind is PKind.Ref or PKind.Value or PKind.Hyper;

    private static MethodInfo Scalar(Type type, string name) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .SingleOrDefault(mi => mi.Name == name && !Checks.IsFloatTwin(mi) && mi.GetParameters().All(p => !p.ParameterType.IsGenericType && !p.ParameterType.IsArray)
                && !mi.GetParameters().Any(p => p.ParameterType.IsByRef && p.ParameterType.GetElementType()!.IsArray))
        ?? throw new InvalidOperationException($"no generated scalar {name}");

    /// <summary>The three kernels against the C# scalar methods, element by element, bit for bit.</summary>
    private List<Mismatch> Compare<T>(Method m, Type type, CudaModuleSource module, ILoadedModule loaded)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int n = Elements, k = Directions;
        var ps = m.Params;
        var random = new Random(2024);
        T Draw() => T.CreateChecked(4 * random.NextDouble() - 2);
        T[] Draws(int count) => Enumerable.Range(0, count).Select(_ => Draw()).ToArray();
        var values = ps.ToDictionary(q => q.Name, q => PerElement(q) ? Draws(n) : [Draw()]);
        var dots = ps.Where(Active).ToDictionary(q => q.Name, q => Draws(PerElement(q) ? k * n : k));
        var bars = ps.Where(Active).ToDictionary(q => q.Name, q => PerElement(q) ? Draws(n) : [T.Zero]);
        object Uniform(Param q) => q.Kind == PKind.Int ? 2 : values[q.Name][0];
        var errors = new List<Mismatch>();

        void Same(string kernel, string what, T expected, T actual)
        {
            if (!MemoryMarshal.AsBytes([expected]).SequenceEqual(MemoryMarshal.AsBytes([actual])))
            {
                errors.Add(new Mismatch(kernel, $"{kernel}: {what} is {actual:R} in the host build but {expected:R} in C#"));
            }
        }

        // ---- C#, element by element.
        var primal = Scalar(type, m.Name);
        var tangent = Scalar(type, m.Name + "Tangent");
        var adjoint = Scalar(type, m.Name + "Adjoint");
        var state = ps.Where(q => q.Kind == PKind.Ref).ToDictionary(q => q.Name, q => (T[])values[q.Name].Clone());
        var tangentState = ps.Where(q => q.Kind == PKind.Ref).ToDictionary(q => q.Name, q => (T[])values[q.Name].Clone());
        var stateDots = ps.Where(q => q.Kind == PKind.Ref).ToDictionary(q => q.Name, q => (T[])dots[q.Name].Clone());
        var expectedBars = bars.ToDictionary(b => b.Key, b => (T[])b.Value.Clone());
        for (int i = 0; i < n; i++)
        {
            var args = ps.Select(q => PerElement(q) ? values[q.Name][i] : Uniform(q)).ToArray();
            Invoker.Invoke(primal, args);
            foreach (var (q, j) in ps.Select((q, j) => (q, j)).Where(x => x.q.Kind == PKind.Ref))
            {
                state[q.Name][i] = (T)args[j]!;
            }

            for (int d = 0; d < k; d++)
            {
                var targs = new List<object?>();
                foreach (var q in ps)
                {
                    targs.Add(PerElement(q) ? values[q.Name][i] : Uniform(q));
                    if (Active(q))
                    {
                        targs.Add(PerElement(q) ? dots[q.Name][(d * n) + i] : dots[q.Name][d]);
                    }
                }

                var array = targs.ToArray();
                Invoker.Invoke(tangent, array);
                int at = 0;
                foreach (var q in ps)
                {
                    if (q.Kind == PKind.Ref)
                    {
                        tangentState[q.Name][i] = (T)array[at]!;
                        stateDots[q.Name][(d * n) + i] = (T)array[at + 1]!;
                    }

                    at += Active(q) ? 2 : 1;
                }
            }

            var aargs = new List<object?>();
            foreach (var q in ps)
            {
                aargs.Add(PerElement(q) ? values[q.Name][i] : Uniform(q));
                if (Active(q))
                {
                    aargs.Add(expectedBars[q.Name][PerElement(q) ? i : 0]);
                }
            }

            var adjointArgs = aargs.ToArray();
            Invoker.Invoke(adjoint, adjointArgs);
            int slot = 0;
            foreach (var q in ps)
            {
                if (Active(q))
                {
                    expectedBars[q.Name][PerElement(q) ? i : 0] = (T)adjointArgs[slot + 1]!;
                }

                slot += Active(q) ? 2 : 1;
            }
        }

        // ---- The host build: every buffer the kernels take, by the method parameter it belongs to.
        var buffers = new List<DeviceBuffer<T>>();
        try
        {
            DeviceBuffer<T> Buffer(T[] content)
            {
                var b = new DeviceBuffer<T>(_device, content); // host memory: either device runs it
                buffers.Add(b);
                return b;
            }

            Dictionary<CudaParameter, DeviceBuffer<T>> Run(CudaKernelSignature kernel)
            {
                var outputs = new Dictionary<CudaParameter, DeviceBuffer<T>>();
                var arguments = kernel.Parameters.Select(p =>
                {
                    switch (p.Role)
                    {
                        case CudaParameterRole.Count: return (object)(long)n;
                        case CudaParameterRole.Directions: return k;
                        case CudaParameterRole.Uniform:
                            return p.CType == "int" ? 2 : values[p.Of][0];
                        default:
                            var content = p.Derivative switch
                            {
                                CudaDerivative.Tangent => dots[p.Of],
                                CudaDerivative.Adjoint => bars[p.Of],
                                _ => values[p.Of],
                            };
                            var buffer = Buffer((T[])content.Clone());
                            outputs[p] = buffer;
                            return buffer.Pointer;
                    }
                }).ToArray();
                KernelLaunch.Launch(loaded, kernel, n, arguments);
                return outputs;
            }

            foreach (var (p, b) in Run(module.Primal).Where(x => x.Key.Role == CudaParameterRole.ElementState))
            {
                var got = b.ToArray();
                for (int i = 0; i < n; i++)
                {
                    Same("primal", $"{p.Of}[{i}]", state[p.Of][i], got[i]);
                }
            }

            foreach (var (p, b) in Run(module.Tangent).Where(x => x.Key.Role is CudaParameterRole.ElementState or CudaParameterRole.ElementDirections))
            {
                var got = b.ToArray();
                for (int i = 0; i < got.Length; i++)
                {
                    if (p.Derivative == CudaDerivative.Tangent)
                    {
                        Same("tangent", $"{p.Name}[{i}] (direction {i / n}, element {i % n})", stateDots[p.Of][i], got[i]);
                    }
                    else
                    {
                        Same("tangent", $"{p.Of}[{i}]", tangentState[p.Of][i], got[i]);
                    }
                }
            }

            foreach (var (p, b) in Run(module.Adjoint).Where(x => x.Key.Derivative == CudaDerivative.Adjoint))
            {
                var got = b.ToArray();
                for (int i = 0; i < got.Length; i++)
                {
                    Same("adjoint", p.Role == CudaParameterRole.UniformAccumulator ? p.Name + " (summed over the elements)" : $"{p.Name}[{i}]", expectedBars[p.Of][i], got[i]);
                }
            }
        }
        finally
        {
            foreach (var b in buffers)
            {
                b.Dispose();
            }
        }

        return errors;
    }
}
