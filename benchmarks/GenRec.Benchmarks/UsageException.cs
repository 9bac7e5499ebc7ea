namespace GenRec.Benchmarks;

/// <summary>A mistake on the command line; the program prints the message on one line and exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
