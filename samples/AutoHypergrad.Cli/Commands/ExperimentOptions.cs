using System;
using System.Collections.Generic;
using System.CommandLine;

namespace AutoHypergrad.Cli.Commands;

/// <summary>Options every experiment command declares alike.</summary>
internal static class ExperimentOptions
{
    /// <summary><c>--precision float|double</c>, float by default: the experiments run in float for speed.</summary>
    public static Option<string> Precision() => new Option<string>("--precision")
    {
        Description = "Element type: float (default, for speed) or double.",
        DefaultValueFactory = _ => "float",
    }.AcceptOnlyFromAmong("float", "double");

    /// <summary>
    /// <c>--threads N</c>: the threads of each training pass on the CPU, all processors by default. A run is the same to
    /// the bit for a given N; another N adds the threads' partial sums in another order.
    /// </summary>
    public static Option<int> Threads() => new("--threads")
    {
        HelpName = "N",
        Description = $"Threads of each pass over the training data on the CPU [default: {Environment.ProcessorCount}, the processors]. Results are the same to the bit for a given N.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Validators = { result => { if (result.GetValueOrDefault<int>() < 1) { result.AddError($"--threads {result.GetValueOrDefault<int>()}: give at least 1."); } } },
    };

    /// <summary><c>--device cpu|cuda</c>: where the training runs (<see cref="Cuda.TrainingBackend{T}"/>), the CPU by default.</summary>
    public static Option<string> Device() => new Option<string>("--device")
    {
        Description = "Where training runs: cpu (default), or cuda for the first NVIDIA GPU (objective, step and state on the device; needs the driver, NVRTC and cuBLAS).",
        DefaultValueFactory = _ => "cpu",
    }.AcceptOnlyFromAmong("cpu", "cuda");

    /// <summary><paramref name="command"/> with <paramref name="options"/> and <paramref name="run"/> as its action: how every experiment command is put together.</summary>
    public static Command Assemble(Command command, IEnumerable<Option> options, Func<ParseResult, int> run)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(run);
        return command;
    }
}
