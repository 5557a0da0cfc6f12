using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AutoHypergrad.BenchmarkHarness.Steps;

/// <summary>
/// Optimizer steps written in C and compiled by gcc at run time: the yardstick of what a C compiler makes of the same
/// loop. Two builds of the same source: with gcc's defaults (<see cref="Contracted"/>, which fuses multiplies and
/// adds) and with every operation rounded as written (<see cref="Exact"/>, the generated step's own bits). Each is
/// built once per source, flags and gcc into the temporary folder and loaded from there; where gcc is missing or
/// fails, <see cref="Load"/> returns null with the reason.
/// </summary>
public sealed unsafe class CompiledC
{
    /// <summary>
    /// gcc's defaults at <c>-O3 -march=native</c>. <c>-fno-math-errno</c> lets gcc vectorize <c>sqrt</c> (otherwise it
    /// must be able to set errno for a negative argument, and the loop stays scalar); it changes no result. gcc's
    /// default <c>-ffp-contract=fast</c> fuses multiplies and adds, as the hand-written Vector512 steps do, so this
    /// step agrees with the generated one to rounding, not to the bit.
    /// </summary>
    public const string Contracted = "-O3 -march=native -fno-math-errno";

    /// <summary>
    /// The same with <c>-ffp-contract=off</c>: each multiply and add rounded as the source writes it, as C# does, so
    /// this step computes the generated one's bits; what it saves over the generated step is the compiler's, not the
    /// arithmetic's.
    /// </summary>
    public const string Exact = Contracted + " -ffp-contract=off";

    /// <summary>
    /// Adam with L2 weight decay as <c>AutoHypergrad.Optimizers.Adam.Step</c> writes it, one element at a time, with
    /// the uniform work (the bias corrections' reciprocals) done once before the loop.
    /// </summary>
    private const string Source = """
        #include <math.h>

        void adam_step(double *restrict w, double *restrict m, double *restrict v, const double *restrict g, long n,
                       double lr, double beta1, double beta2, double eps, double wd, double t, int eps_inside_sqrt)
        {
            const double c1 = 1.0 - beta1, c2 = 1.0 - beta2;
            const double inv1 = 1.0 / (1.0 - pow(beta1, t)), inv2 = 1.0 / (1.0 - pow(beta2, t));
            for (long i = 0; i < n; i++)
            {
                const double d = g[i] + wd * w[i];
                const double mi = beta1 * m[i] + c1 * d;
                const double vi = beta2 * v[i] + c2 * d * d;
                const double vHat = vi * inv2;
                const double denominator = eps_inside_sqrt ? sqrt(vHat + eps) : sqrt(vHat) + eps;
                m[i] = mi;
                v[i] = vi;
                w[i] = w[i] - lr * (mi * inv1) * (1.0 / denominator);
            }
        }
        """;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<(CompiledC? Library, string? Reason)>> Built = new();

    private readonly delegate* unmanaged[Cdecl]<double*, double*, double*, double*, long, double, double, double, double, double, double, int, void> _adam;

    private CompiledC(IntPtr library, string flags, string compiler)
    {
        _adam = (delegate* unmanaged[Cdecl]<double*, double*, double*, double*, long, double, double, double, double, double, double, int, void>)
            NativeLibrary.GetExport(library, "adam_step");
        Flags = flags;
        Compiler = compiler;
    }

    /// <summary>The flags it was compiled with (besides <c>-shared -fPIC</c>).</summary>
    public string Flags { get; }

    /// <summary>The compiler's name and version, as <c>gcc --version</c> gives them on its first line.</summary>
    public string Compiler { get; }

    /// <summary>The references compiled with <paramref name="flags"/> (<see cref="Contracted"/> or <see cref="Exact"/>), or null with <paramref name="reason"/> (gcc missing or failing).</summary>
    public static CompiledC? Load(string flags, out string? reason)
    {
        (CompiledC? library, reason) = Built.GetOrAdd(flags, f => new Lazy<(CompiledC?, string?)>(() => Build(f))).Value;
        return library;
    }

    /// <summary>Adam's step on the given arrays (w, m, v updated; g read), as <c>Adam.Step</c>'s span driver.</summary>
    public void AdamStep(Span<double> w, Span<double> m, Span<double> v, ReadOnlySpan<double> g, double lr, double beta1, double beta2, double eps, double wd, double t, bool epsInsideSqrt)
    {
        Check.SameLength(w.Length, m.Length, nameof(m));
        Check.SameLength(w.Length, v.Length, nameof(v));
        Check.SameLength(w.Length, g.Length, nameof(g));
        fixed (double* pw = w, pm = m, pv = v, pg = g)
        {
            _adam(pw, pm, pv, pg, w.Length, lr, beta1, beta2, eps, wd, t, epsInsideSqrt ? 1 : 0);
        }
    }

    private static (CompiledC?, string?) Build(string flags)
    {
        string? version = Run("gcc", "--version", out string output) == 0 ? output.Split('\n')[0].Trim() : null;
        if (version is null)
        {
            return (null, "gcc not found (install it: sudo apt-get install gcc)");
        }

        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Source + flags + version)))[..16];
        string directory = Path.Combine(Path.GetTempPath(), "autohypergrad-c-references");
        string library = Path.Combine(directory, $"steps-{key}.so");
        if (!File.Exists(library))
        {
            Directory.CreateDirectory(directory);
            string unique = Path.Combine(directory, $"steps-{key}-{Environment.ProcessId}");
            File.WriteAllText(unique + ".c", Source);
            if (Run("gcc", $"{flags} -shared -fPIC -o {unique}.so {unique}.c -lm", out string messages) != 0)
            {
                return (null, $"gcc {flags} failed on the C reference: {messages.Trim()}");
            }

            // Another process may have built the same file meanwhile: either copy is the same library.
            File.Move(unique + ".so", library, overwrite: true);
            File.Delete(unique + ".c");
        }

        return (new CompiledC(NativeLibrary.Load(library), flags, version), null);
    }

    private static int Run(string file, string arguments, out string output)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var error = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd() + error.Result;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }
}
