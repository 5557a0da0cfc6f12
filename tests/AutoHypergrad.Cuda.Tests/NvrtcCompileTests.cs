using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace AutoHypergrad.Cuda.Tests;

/// <summary>
/// Every generated CUDA module (every optimizer, float and double) and every hand-written program compiles with NVRTC
/// for sm_80 and sm_90 with an empty log: no warning. Needs libnvrtc (the CI installs Debian's libnvrtc11.2), not a GPU;
/// skipped, saying so, where it does not load.
/// </summary>
public sealed class NvrtcCompileTests
{
    [NvrtcTheory]
    [MemberData(nameof(GeneratedModules.All), MemberType = typeof(GeneratedModules))]
    public void Compiles_for_sm80_and_sm90_without_warnings(string optimizer, bool single)
        => AssertCompilesCleanly(GeneratedModules.Of(AutoHypergrad.Optimizers.Optimizers.Find(optimizer), single));

    /// <summary>The hand-written kernels of AutoHypergrad.Cuda, by name.</summary>
    public static TheoryData<string> HandWritten => new(HandWrittenPrograms.Keys);

    private static readonly System.Collections.Generic.Dictionary<string, CudaProgram> HandWrittenPrograms = new[]
    {
        CudaStateMemory<double>.Program,
        CudaStateMemory<float>.Program,
        SoftmaxRegressionKernels.Of<double>().Program,
        SoftmaxRegressionKernels.Of<float>().Program,
    }.ToDictionary(p => p.Name);

    [NvrtcTheory]
    [MemberData(nameof(HandWritten))]
    public void Hand_written_kernels_compile_for_sm80_and_sm90_without_warnings(string program)
        => AssertCompilesCleanly(HandWrittenPrograms[program]);

    /// <summary>
    /// <paramref name="program"/> compiles for sm_80 and sm_90 with an empty log, into PTX for the target with an
    /// entry per kernel and a CUBIN.
    /// </summary>
    private static void AssertCompilesCleanly(CudaProgram program)
    {
        // The two architectures compile at once (NVRTC programs are independent): the compilations are most of
        // this project's test time.
        var architectures = new[] { "sm_80", "sm_90" };
        var results = new CompiledModule[architectures.Length];
        Parallel.For(0, architectures.Length, a => results[a] = CudaCompiler.Compile(program, architectures[a]));
        foreach (var compiled in results)
        {
            var architecture = compiled.Architecture;
            Assert.True(compiled.Log.Length == 0, $"{program.Name} ({architecture}) compiled with a log:\n{compiled.Log}");
            var ptx = Encoding.ASCII.GetString(compiled.Ptx);
            Assert.Contains($".target {architecture}", ptx);
            foreach (var kernel in program.Kernels)
            {
                Assert.Contains($".entry {kernel.Name}(", ptx);
            }

            // ELF: the machine code for the architecture.
            Assert.True(compiled.Cubin.Length > 4 && compiled.Cubin.Take(4).SequenceEqual(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }), "no CUBIN");
        }
    }

    [NvrtcFact]
    public void A_compilation_error_names_the_module_and_carries_the_log()
    {
        var broken = GeneratedModules.Of(AutoHypergrad.Optimizers.Optimizers.Find("Sgd"), single: false) with { Source = "extern \"C\" __global__ void k() { undeclared = 1; }" };
        var error = Assert.Throws<CudaException>(() => CudaCompiler.Compile(broken, "sm_80"));
        Assert.Equal("nvrtcCompileProgram", error.Call);
        Assert.Contains("Sgd.Step (double) does not compile for sm_80", error.Message);
        Assert.Contains("undeclared", error.Message);
    }
}
