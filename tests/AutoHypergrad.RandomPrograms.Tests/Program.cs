using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace AutoHypergrad.RandomPrograms.Tests;

/// <summary>
/// The entry point. With <c>--long</c>: the long mode, e.g.
/// <c>dotnet run --project tests/AutoHypergrad.RandomPrograms.Tests -c Release -- --long --count 20000 --seed 42</c>
/// (options: <c>--count N</c>, <c>--seed S</c>, <c>--batch B</c>, <c>--examples E</c> failures shrunk per distinct failure,
/// <c>--shrink-seconds T</c> per failure, <c>--no-cuda</c>, <c>--replay S1,S2,…</c> to rerun the programs of those seeds,
/// as a report prints them), which prints the totals table and the shrunk source of the
/// first failures of each kind and exits 1 if any failure was found. Otherwise the xunit.v3 console runner.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!args.Contains("--long"))
        {
            return await Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).ConfigureAwait(false);
        }

        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var options = new RunOptions
        {
            Count = int.Parse(Value("--count") ?? "5000", CultureInfo.InvariantCulture),
            Seed = ulong.Parse(Value("--seed") ?? "42", CultureInfo.InvariantCulture),
            BatchSize = int.Parse(Value("--batch") ?? "100", CultureInfo.InvariantCulture),
            ExamplesPerFailure = int.Parse(Value("--examples") ?? "2", CultureInfo.InvariantCulture),
            ShrinkBudget = TimeSpan.FromSeconds(double.Parse(Value("--shrink-seconds") ?? "60", CultureInfo.InvariantCulture)),
            TotalShrinkBudget = TimeSpan.FromHours(1),
            Cuda = !args.Contains("--no-cuda"),
            Replay = Value("--replay")?.Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            Log = Console.Error.WriteLine,
        };
        var report = Runner.Run(options);
        Console.WriteLine(report.Table());
        Console.WriteLine(report.Failures());
        return report.FailureIds.Any() ? 1 : 0;
    }
}
