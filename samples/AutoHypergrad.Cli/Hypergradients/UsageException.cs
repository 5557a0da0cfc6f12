using System;

namespace AutoHypergrad.Cli.Hypergradients;

/// <summary>A mistake on the command line found after parsing (an unknown name, a bad value): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
