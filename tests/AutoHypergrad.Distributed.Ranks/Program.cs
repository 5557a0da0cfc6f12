using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AutoHypergrad.Distributed.Ranks;

/// <summary>
/// <c>mpiexec -n P dotnet AutoHypergrad.Distributed.Ranks.dll DIR SCENARIO …</c>: every rank runs the scenario and
/// writes its result to DIR/rank-R-of-P.txt, which the tests read (the ranks' standard outputs reach mpiexec's
/// interleaved, a long line cut by another's).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            using var session = MpiSession.Start(args);
            string result = args[1] switch
            {
                "sum" => Sum(session, int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
                "objective" => ObjectiveProducts.Compare(session),
                "engine" => EngineResults.Compare(session, args[2]),
                var other => throw new ArgumentException($"unknown scenario '{other}'"),
            };
            File.WriteAllText(Path.Combine(args[0], $"rank-{session.Rank}-of-{session.Size}.txt"), result);
            return 0;
        }
        catch (MpiUnavailableException e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
    }

    /// <summary>Each rank's <see cref="RankValues.Of"/> summed over the ranks, as the bits of each double in hexadecimal.</summary>
    private static string Sum(MpiSession session, int n, int seed)
    {
        double[] values = RankValues.Of(seed, session.Rank, n);
        session.Allreduce<double>(values);
        return string.Join(' ', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("x16", CultureInfo.InvariantCulture)));
    }
}

/// <summary>The values a rank of the <c>sum</c> scenario adds, which the tests compute too.</summary>
public static class RankValues
{
    /// <summary>Values of many magnitudes, so that the order of the additions shows in the bits.</summary>
    public static double[] Of(int seed, int rank, int n)
    {
        var random = new Random((seed * 1000) + rank);
        return Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9))).ToArray();
    }
}
