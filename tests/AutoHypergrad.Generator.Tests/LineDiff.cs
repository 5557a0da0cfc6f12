using System;
using System.Collections.Generic;
using System.Text;

namespace AutoHypergrad.Generator.Tests;

/// <summary>
/// A small line diff (longest common subsequence) that renders the first differing hunks with line
/// numbers and a few lines of context, in the familiar "-expected / +actual" form.
/// </summary>
public static class LineDiff
{
    /// <summary>One line of an edit script.</summary>
    public readonly record struct Edit(char Kind, int OldLine, int NewLine, string Text);

    /// <summary>Splits text into lines after normalizing CRLF/CR to LF; a trailing newline adds no empty line.</summary>
    public static string[] SplitLines(string text)
    {
        var normalized = Snapshot.NormalizeLineEndings(text);
        if (normalized.Length == 0)
        {
            return Array.Empty<string>();
        }

        if (normalized.EndsWith('\n'))
        {
            normalized = normalized.Substring(0, normalized.Length - 1);
        }

        return normalized.Split('\n');
    }

    /// <summary>
    /// The edit script turning <paramref name="expected"/> into <paramref name="actual"/>: ' ' kept,
    /// '-' only in expected, '+' only in actual. Line numbers are 1-based (0 where not applicable).
    /// </summary>
    public static List<Edit> Compute(string[] expected, string[] actual)
    {
        // Trim the common prefix and suffix so the quadratic table only covers the changed middle.
        var prefix = 0;
        while (prefix < expected.Length && prefix < actual.Length && expected[prefix] == actual[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < expected.Length - prefix && suffix < actual.Length - prefix
               && expected[expected.Length - 1 - suffix] == actual[actual.Length - 1 - suffix])
        {
            suffix++;
        }

        var n = expected.Length - prefix - suffix;
        var m = actual.Length - prefix - suffix;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = expected[prefix + i] == actual[prefix + j]
                    ? lcs[i + 1, j + 1] + 1
                    : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<Edit>(expected.Length + actual.Length);
        for (var k = 0; k < prefix; k++)
        {
            edits.Add(new Edit(' ', k + 1, k + 1, expected[k]));
        }

        int a = 0, b = 0;
        while (a < n || b < m)
        {
            if (a < n && b < m && expected[prefix + a] == actual[prefix + b])
            {
                edits.Add(new Edit(' ', prefix + a + 1, prefix + b + 1, expected[prefix + a]));
                a++;
                b++;
            }
            else if (b < m && (a == n || lcs[a, b + 1] >= lcs[a + 1, b]))
            {
                edits.Add(new Edit('+', 0, prefix + b + 1, actual[prefix + b]));
                b++;
            }
            else
            {
                edits.Add(new Edit('-', prefix + a + 1, 0, expected[prefix + a]));
                a++;
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            var oldIndex = expected.Length - suffix + k;
            var newIndex = actual.Length - suffix + k;
            edits.Add(new Edit(' ', oldIndex + 1, newIndex + 1, expected[oldIndex]));
        }

        return edits;
    }

    /// <summary>
    /// Renders the differences; empty when the texts have the same lines. At most
    /// <paramref name="maxHunks"/> hunks are shown, each with <paramref name="context"/> lines around it.
    /// </summary>
    public static string Render(string expected, string actual, int context = 3, int maxHunks = 5)
    {
        var edits = Compute(SplitLines(expected), SplitLines(actual));
        var changed = new List<int>();
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Kind != ' ')
            {
                changed.Add(i);
            }
        }

        if (changed.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        var hunks = 0;
        var index = 0;
        while (index < changed.Count)
        {
            if (hunks == maxHunks)
            {
                sb.Append("... (").Append(changed.Count - index).AppendLine(" more changed lines not shown)");
                break;
            }

            var start = Math.Max(0, changed[index] - context);
            var end = changed[index];
            while (index < changed.Count && changed[index] <= end + (2 * context) + 1)
            {
                end = changed[index];
                index++;
            }

            end = Math.Min(edits.Count - 1, end + context);
            var firstOld = 0;
            var firstNew = 0;
            for (var i = start; i <= end; i++)
            {
                if (firstOld == 0 && edits[i].OldLine > 0)
                {
                    firstOld = edits[i].OldLine;
                }

                if (firstNew == 0 && edits[i].NewLine > 0)
                {
                    firstNew = edits[i].NewLine;
                }
            }

            sb.Append("@@ verified line ").Append(firstOld).Append(", received line ").Append(firstNew).AppendLine(" @@");
            for (var i = start; i <= end; i++)
            {
                var e = edits[i];
                var number = e.Kind == '+' ? e.NewLine : e.OldLine;
                sb.Append(e.Kind).Append(' ').Append(number.ToString().PadLeft(4)).Append(" | ").AppendLine(e.Text);
            }

            hunks++;
        }

        return sb.ToString();
    }
}
