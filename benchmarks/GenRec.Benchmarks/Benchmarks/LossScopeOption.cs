using GenRec.MLNet.Generative;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>The <c>--loss-scope</c> option of the generative benchmarks.</summary>
internal static class LossScopeOption
{
    public const string Name = "loss-scope";

    /// <summary>level (each step's softmax over its level's codes, the default) | whole-vocabulary (LETTER's form).</summary>
    public static GenerativeLossScope Read(BenchmarkContext context) => context.Option(Name) switch
    {
        null or "level" => GenerativeLossScope.Level,
        "whole-vocabulary" => GenerativeLossScope.WholeVocabulary,
        string other => throw new UsageException($"--loss-scope must be level or whole-vocabulary, not '{other}'."),
    };

    /// <summary>The scope as RESULT lines print it.</summary>
    public static string Format(GenerativeLossScope scope) => scope == GenerativeLossScope.WholeVocabulary ? "whole-vocabulary" : "level";
}
