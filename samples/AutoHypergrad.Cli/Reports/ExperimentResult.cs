using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace AutoHypergrad.Cli.Reports;

/// <summary>One row of an experiment's table: our numbers by metric name and, where the paper has them, the paper's.</summary>
internal sealed record ResultRow(string Name, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, double> Paper);

/// <summary>
/// What an experiment command wrote with <c>--json</c>, as <c>report</c> reads it: the top-level fields every
/// experiment writes (<c>experiment</c>, <c>command</c>, <c>machine</c>, <c>quick</c>, <c>seconds</c>, <c>rows</c>,
/// <c>deviations</c>) and, from a run resumed from checkpoints, <c>resumedSeconds</c>, the wall time of the work it
/// loaded from them; everything else in the file (settings, curves) is the command's own.
/// </summary>
internal sealed record ExperimentResult(
    string File,
    string Experiment,
    string Command,
    string Machine,
    bool Quick,
    double Seconds,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<string> Deviations,
    double ResumedSeconds = 0)
{
    /// <summary>Reads <paramref name="path"/>; a file that is not an experiment's JSON throws <see cref="InvalidDataException"/> naming it and the field.</summary>
    public static ExperimentResult Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: expected a JSON object at the top, found {root.ValueKind}.");
            }

            var rows = Required(root, "rows", JsonValueKind.Array, path).EnumerateArray().Select((row, i) => Row(row, $"{path}: rows[{i}]")).ToArray();
            var deviations = Required(root, "deviations", JsonValueKind.Array, path).EnumerateArray()
                .Select((d, i) => d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new InvalidDataException($"{path}: deviations[{i}] is not a string."))
                .ToArray();
            return new ExperimentResult(
                path,
                Required(root, "experiment", JsonValueKind.String, path).GetString()!,
                Required(root, "command", JsonValueKind.String, path).GetString()!,
                MachineSummary(Required(root, "machine", JsonValueKind.Object, path)),
                Required(root, "quick", null, path).ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    var kind => throw new InvalidDataException($"{path}: \"quick\" must be true or false, found {kind}."),
                },
                Required(root, "seconds", JsonValueKind.Number, path).GetDouble(),
                rows,
                deviations,
                root.TryGetProperty("resumedSeconds", out var resumed) && resumed.ValueKind == JsonValueKind.Number ? resumed.GetDouble() : 0);
        }
    }

    private static JsonElement Required(JsonElement element, string name, JsonValueKind? kind, string where)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"{where}: no \"{name}\" field.");
        }

        if (kind is { } expected && value.ValueKind != expected)
        {
            throw new InvalidDataException($"{where}: \"{name}\" must be {Article(expected)}, found {value.ValueKind}.");
        }

        return value;
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString(),
    };

    /// <summary>A row: its <c>name</c>, its numbers (other values, such as strings and lists, are not table cells) and its <c>paper</c> object.</summary>
    private static ResultRow Row(JsonElement row, string where)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: a row must be an object, found {row.ValueKind}.");
        }

        string name = Required(row, "name", JsonValueKind.String, where).GetString()!;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var paper = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in row.EnumerateObject())
        {
            if (property.Name == "paper")
            {
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var value in property.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
                    {
                        paper[value.Name] = value.Value.GetDouble();
                    }
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    throw new InvalidDataException($"{where} ({name}): \"paper\" must be an object or null, found {property.Value.ValueKind}.");
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Number)
            {
                metrics[property.Name] = property.Value.GetDouble();
            }
        }

        return new ResultRow(name, metrics, paper);
    }

    /// <summary>The processor, its count and the runtime, from the <c>BenchMachine</c> object the commands write.</summary>
    private static string MachineSummary(JsonElement machine)
    {
        string Text(string name) => machine.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "?";
        string count = machine.TryGetProperty("processorCount", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        return $"{Text("processor")}, {count} processors, {Text("runtime")}";
    }
}
