using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>tokenizer-ablation-beauty</c>: what each of LETTER's two regularizers does to the codes, measured by the figure
/// it is meant to move. Four tokenizers on the same content (one SASRec training, <see cref="BeautySasRecEmbeddings"/>),
/// a full 2 × 2 of collaborative regularization (α, as in <c>tokenizer-beauty</c>) × diversity regularization, every
/// other setting that of <c>tokenizer-beauty</c> except the dead-code reset, which is off by default here
/// (<c>--dead-code-steps</c>, default 0): the reset by itself spreads items evenly over the first level, which would
/// hide what the regularizers do, and LETTER's own recipe has no reset:
/// <list type="bullet">
/// <item><description>collaborative on vs off → share of items whose CF nearest neighbour (cosine over the SASRec
/// embeddings) gets the same first code (<c>cf_nn_same_l1_on</c> / <c>_off</c>, diversity on in both): the
/// regularizer exists to put collaboratively similar items under one prefix.</description></item>
/// <item><description>diversity on vs off → first-level entropy in bits (<c>l1_entropy_on</c> / <c>_off</c>,
/// collaborative on in both): the regularizer exists to spread items over the codebook.</description></item>
/// </list>
/// The fourth cell (both off) shows each effect also at the other setting of the other regularizer; every cell's
/// figures are printed as <c>cf{on|off}_div{on|off}_*</c>. Each cell is one seeded run, so differences of a few tenths
/// of a percent are within seed noise.
/// </summary>
internal sealed class TokenizerAblationBeautyBenchmark : IBenchmark
{
    public string Name => "tokenizer-ablation-beauty";

    public string Description => "LETTER regularizer ablation on Beauty SASRec embeddings: CF on/off -> CF-neighbour same L1 code; diversity on/off -> L1 entropy";

    public IReadOnlyCollection<string> ExtraOptions => [.. TokenizerBeautyBenchmark.TokenizerOptionNames, .. BeautySasRecEmbeddings.OptionNames];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        BeautySasRecEmbeddings embeddings = BeautySasRecEmbeddings.Load(context);
        var (neighbours, _) = context.Time("SASRec cosine nearest neighbours", embeddings.CosineNearestNeighbours);

        var cells = new List<Cell>();
        foreach (bool collaborative in new[] { true, false })
        {
            foreach (bool diversity in new[] { true, false })
            {
                RqVaeOptions options = TokenizerBeautyBenchmark.LetterOptions(context, collaborative, diversity, defaultDeadCodeSteps: 0);
                string name = $"cf{OnOff(collaborative)}_div{OnOff(diversity)}";
                var (model, duration) = TokenizerBeautyBenchmark.TrainTokenizer(context, embeddings, options, name);
                using (model)
                {
                    var statistics = CodeStatistics.Compute(model.Codes);
                    var cell = new Cell(name, collaborative, diversity, statistics, BeautySasRecEmbeddings.SameFirstCodeShare(neighbours, model.Codes), duration)
                    {
                        ChanceSameL1 = ChanceSameFirstCode(model.Codes),
                    };
                    context.Log(string.Create(CultureInfo.InvariantCulture,
                        $"{name}: CF-neighbour same L1 {cell.CfNeighbourSameL1:P2} (chance {cell.ChanceSameL1:P2}), L1 entropy {cell.L1.EntropyBits:F4} bits, L1 used {cell.L1.UsedCodes}/256, largest L1 code {cell.L1.LargestCodeCount} items"));
                    cells.Add(cell);
                }
            }
        }

        Cell Find(bool cf, bool div) => cells.Single(c => c.Collaborative == cf && c.Diversity == div);
        var result = new BenchmarkResult()
            .Metric("cf_nn_same_l1_on", Find(true, true).CfNeighbourSameL1)
            .Metric("cf_nn_same_l1_off", Find(false, true).CfNeighbourSameL1)
            .Metric("chance_same_l1_on", Find(true, true).ChanceSameL1)
            .Metric("chance_same_l1_off", Find(false, true).ChanceSameL1)
            .Add("l1_entropy_on", Bits(Find(true, true).L1.EntropyBits))
            .Add("l1_entropy_off", Bits(Find(true, false).L1.EntropyBits));
        foreach (Cell cell in cells)
        {
            result
                .Metric($"{cell.Name}_cf_nn_same_l1", cell.CfNeighbourSameL1)
                .Metric($"{cell.Name}_chance_same_l1", cell.ChanceSameL1)
                .Add($"{cell.Name}_l1_entropy_bits", Bits(cell.L1.EntropyBits))
                .Count($"{cell.Name}_l1_used", cell.L1.UsedCodes)
                .Count($"{cell.Name}_l1_largest_code", cell.L1.LargestCodeCount)
                .Add($"{cell.Name}_collision_rate", cell.Statistics.CollisionRate.ToString("F6", CultureInfo.InvariantCulture))
                .Seconds($"{cell.Name}_tokenizer_seconds", cell.Duration);
        }

        embeddings.Describe(result);
        return result.Seconds("seconds", total.Elapsed);
    }

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string Bits(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>One tokenizer of the 2 × 2 and the figures it is judged by.</summary>
    private sealed record Cell(string Name, bool Collaborative, bool Diversity, CodeStatistics Statistics, double CfNeighbourSameL1, TimeSpan Duration)
    {
        public LevelCodeStatistics L1 => Statistics.PerLevel[0];

        /// <summary>
        /// Σ p_k² over the first-level codes: the rate at which two random items share the first code. A tokenizer
        /// that piles items onto few codes raises <see cref="CfNeighbourSameL1"/> without grouping neighbours, so the
        /// CF figure is only meaningful against this baseline.
        /// </summary>
        public double ChanceSameL1 { get; init; }
    }

    /// <summary>Σ p_k² of the first-level code distribution of <paramref name="codes"/> (see <see cref="Cell.ChanceSameL1"/>).</summary>
    private static double ChanceSameFirstCode(SemanticIdTable codes)
    {
        double n = codes.ItemCount;
        return CodeHistogramPlot.CountCodes(codes, 0).Sum(count => count / n * (count / n));
    }
}
