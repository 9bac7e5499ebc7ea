using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Sweeping;
using Xunit;

namespace GenRec.MLNet.Tests.Sweeping;

/// <summary>The hand-padded text tables: <see cref="FixedWidthTable"/> and <see cref="SweepResult{TOptions}.ToTable"/>, checked character by character.</summary>
public sealed class SweepTableTests
{
    private static readonly string NewLine = Environment.NewLine;

    [Fact]
    public void EachColumnIsAsWideAsItsLongestCellAndLinesEndWithoutPadding()
    {
        string table = FixedWidthTable.Format(["", "trial", "name"], [["*", "0", "a"], ["", "12", "a-much-longer-value"]]);

        // Widths 1, 5 ("trial") and 19 ("a-much-longer-value"), two spaces between columns, nothing after the last cell.
        table.Should().Be(
            "   trial  name" + NewLine +
            "*  0      a" + NewLine +
            "   12     a-much-longer-value" + NewLine);
    }

    [Fact]
    public void ARowWithTheWrongNumberOfCellsIsRefusedWithItsIndex()
    {
        Action format = () => FixedWidthTable.Format(["a", "b", "c"], [["1", "2", "3"], ["1", "2"]]);

        format.Should().Throw<ArgumentException>().WithMessage("Row 1 has 2 cells; the header has 3.*");
    }

    [Fact]
    public void TheTrialsTableMarksTheBestTrialAndAlignsLongParameterValues()
    {
        var best = Trial(0, rung: 0, budget: 2, TrialStatus.Completed, recall: 0.25, ndcg: 0.125, seconds: 7.94,
            ("Recommender.LearningRate", 0.003), ("Tokenizer.RqVae.EncoderLayerSizes", new[] { 256, 128, 64 }));
        var cancelled = Trial(1, rung: 0, budget: 2, TrialStatus.Cancelled, recall: null, ndcg: null, seconds: 1.2,
            ("Recommender.LearningRate", 0.009496), ("Tokenizer.RqVae.EncoderLayerSizes", new[] { 64 }));
        var failed = Trial(2, rung: 1, budget: null, TrialStatus.Failed, recall: null, ndcg: null, seconds: 0.4,
            ("Recommender.LearningRate", 0.00125));
        // ToTable reads the trials only; the best model is never touched.
        var result = new SweepResult<CollaborativeEmbeddingOptions>([best, cancelled, failed], best, bestModel: null!, SweepMetric.RecallAt10,
            SweepStopReason.TimeBudget, TimeSpan.FromSeconds(10));

        string[] lines = result.ToTable().Split(NewLine);

        // Column widths: 1, 5, 4, 6, 9 ("Completed"), 9, 7, 7, 12 ("LearningRate"), 17 ("EncoderLayerSizes").
        lines.Should().Equal(
            "   trial  rung  budget  status     recall@10  ndcg@10  seconds  LearningRate  EncoderLayerSizes",
            "*  0      0     2       Completed  0.2500     0.1250   7.9      0.003         [256, 128, 64]",
            "   1      0     2       Cancelled  -          -        1.2      0.009496      [64]",
            "   2      1     -       Failed     -          -        0.4      0.00125",
            "");
        foreach (string column in new[] { "status", "recall@10", "seconds", "LearningRate", "EncoderLayerSizes" })
        {
            int start = lines[0].IndexOf(column, StringComparison.Ordinal);
            lines[1..4].Should().OnlyContain(line => line.Length <= start || (line[start - 1] == ' ' && line[start] != ' '),
                $"every cell of {column} starts where its header does");
        }
    }

    private static TrialResult<CollaborativeEmbeddingOptions> Trial(int id, int rung, int? budget, TrialStatus status, double? recall, double? ndcg,
        double seconds, params (string Path, object Value)[] parameters) =>
        SweepTrials.Create(id, configurationId: id, rung, budget, status, recall, ndcg, seconds, users: 600, parameters);
}
