using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using FluentAssertions;
using GenRec.Benchmarks;
using GenRec.Benchmarks.Benchmarks;
using GenRec.MLNet.Presets;
using GenRec.MLNet.Training;
using Xunit;

namespace GenRec.MLNet.Tests.BenchmarkRunner;

/// <summary>
/// <c>presets-movielens</c>: which rows <c>--rows</c> chooses, that a bad row or a missing MovieLens folder stops the
/// run before anything loads, that a row's options are the preset's except the training length (hand-computed), and
/// that every row runs end to end, through the benchmark's own command line, on a tiny generated MovieLens folder.
/// </summary>
public sealed class PresetsMovieLensTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genrec-presets-ml-").FullName;

    [Fact]
    public void Without_rows_every_row_runs_in_order_and_rows_accepts_any_order_and_case()
    {
        PresetRow.Parse(null).Select(r => r.Key).Should().Equal("default", "tiger", "letter", "tokenrec");
        PresetRow.Parse(" TokenRec , tiger").Select(r => r.Key).Should().Equal("tiger", "tokenrec");
        PresetRow.Parse("letter").Select(r => r.Key).Should().Equal("letter");
    }

    [Theory]
    [InlineData("tiger,zz", "unknown row 'zz'")]
    [InlineData("tiger,TIGER", "names row 'tiger' twice")]
    [InlineData(" , ", "names no row")]
    public void Rows_rejects_unknown_repeated_and_empty_lists(string option, string expected)
    {
        Action parse = () => PresetRow.Parse(option);

        parse.Should().Throw<UsageException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void An_unknown_row_stops_the_run_naming_it_before_anything_loads()
    {
        WriteMovieLens(users: 6, movies: 8, perUser: 6);

        var (code, output, error) = Run("presets-movielens", "--rows", "default,sasrec", "--data", _folder);

        code.Should().Be(BenchmarkProgram.BadCommandLine, error);
        error.Should().Contain("unknown row 'sasrec'").And.Contain("default, tiger, letter, tokenrec");
        output.Should().NotContain("RESULT").And.NotContain("load ml-latest-small");
    }

    [Fact]
    public void A_missing_movielens_folder_fails_the_run_naming_it_before_anything_loads()
    {
        var (code, output, error) = Run("presets-movielens", "--rows", "tiger", "--data", _folder);

        code.Should().Be(BenchmarkProgram.Failure, error);
        error.Should().Contain("has no folder ml-latest-small").And.Contain(_folder);
        output.Should().NotContain("RESULT").And.NotContain("load ml-latest-small");
    }

    [Theory]
    [InlineData("--exclude-history", "2")]
    [InlineData("--tokenizer-epochs", "0")]
    [InlineData("--samples-per-second", "-1")]
    [InlineData("--sasrec-minutes", "0")]
    [InlineData("--sasrec-epochs", "many")]
    public void Bad_values_of_its_own_options_exit_2_naming_the_option(string option, string value)
    {
        WriteMovieLens(users: 6, movies: 8, perUser: 6);

        var (code, output, error) = Run("presets-movielens", option, value, "--data", _folder);

        code.Should().Be(BenchmarkProgram.BadCommandLine, error);
        error.Should().StartWith("error: ").And.Contain(option);
        output.Should().NotContain("load ml-latest-small");
    }

    [Fact]
    public void Four_minutes_a_row_give_a_quarter_to_the_tokenizer_and_hand_computed_warm_ups()
    {
        PresetTrainingLength length = PresetTrainingLength.ForMinutes(4, 200, 150);

        length.TokenizerBudget.Should().Be(TimeSpan.FromSeconds(60));
        length.RecommenderBudget.Should().Be(TimeSpan.FromSeconds(180));
        // 180 s × 150 examples/s = 27,000 examples: 105 batches of 256, 26 of 1,024.
        length.ExpectedSteps(256).Should().Be(105);
        length.ExpectedSteps(1024).Should().Be(26);
        // TIGER: 10,000 warm-up steps of 390 epochs × 514 Beauty batches (4.99%) → 5 of 105 steps.
        PresetRowOptions.ScaledWarmup(GenRecPresets.Tiger().Recommender, 105).Should().Be(5);
        // LETTER: 258 of 200 × 129 batches (1%) → 0.26 of 26 steps, at least 1 while the preset has a warm-up.
        PresetRowOptions.ScaledWarmup(GenRecPresets.Letter().Recommender, 26).Should().Be(1);
        PresetRowOptions.ScaledWarmup(GenRecPresets.Letter().Recommender, 25_800).Should().Be(258, "the preset's own planned length gives its own warm-up");
    }

    [Fact]
    public void Tiger_changes_only_its_training_length()
    {
        var (fresh, freshRecommender) = PresetRowOptions.Unshortened(PresetRow.Tiger);
        var (tokenizer, recommender) = PresetRowOptions.Generative(PresetRow.Tiger, PresetTrainingLength.ForMinutes(4, 200, 150));

        Differences(fresh, tokenizer).Should().BeEquivalentTo(["RqVae.MaxTrainingTime", "RqVae.NumberOfEpochs"]);
        (tokenizer.RqVae.NumberOfEpochs, tokenizer.RqVae.ValidateEveryNEpochs, tokenizer.RqVae.MaxTrainingTime).Should().Be((200, 1, TimeSpan.FromSeconds(60)));
        tokenizer.RqVae.CodebookSize.Should().Be(256, "the codebooks stay the paper's on a 3,650-movie catalog");
        Differences(freshRecommender, recommender).Should().BeEquivalentTo(["MaxTrainingTime", "WarmupSteps"]);
        (recommender.WarmupSteps, recommender.MaxTrainingTime, recommender.NumberOfEpochs).Should().Be((5, TimeSpan.FromSeconds(180), 390));
        recommender.LearningRateSchedule.Should().Be(LearningRateSchedule.InverseSquareRoot);
    }

    [Fact]
    public void Letter_changes_only_its_training_length_and_ends_its_cosine_with_the_budget()
    {
        var (fresh, freshRecommender) = PresetRowOptions.Unshortened(PresetRow.Letter);
        var (tokenizer, recommender) = PresetRowOptions.Generative(PresetRow.Letter, PresetTrainingLength.ForMinutes(4, 200, 150));

        Differences(fresh, tokenizer).Should().BeEquivalentTo(["RqVae.MaxTrainingTime", "RqVae.NumberOfEpochs", "RqVae.ValidateEveryNEpochs"]);
        (tokenizer.RqVae.NumberOfEpochs, tokenizer.RqVae.ValidateEveryNEpochs).Should().Be((200, 40), "5 collision-rate checkpoints, as 2,000 of 10,000");
        tokenizer.RqVae.SelectEpochByCollisionRate.Should().BeTrue();
        Differences(freshRecommender, recommender).Should().BeEquivalentTo(["MaxTrainingTime", "WarmupSteps", "LearningRateSchedule"]);
        (recommender.LearningRateSchedule, recommender.WarmupSteps, recommender.NumberOfEpochs, recommender.EarlyStoppingPatience)
            .Should().Be((LearningRateSchedule.CosineWithinTimeBudget, 1, 200, 20));
    }

    [Fact]
    public void Default_and_tokenrec_change_only_their_training_length()
    {
        PresetTrainingLength length = PresetTrainingLength.ForMinutes(4, 200, 150);
        var (freshTokenizer, freshRecommender) = PresetRowOptions.Unshortened(PresetRow.Default);
        var (tokenizer, recommender) = PresetRowOptions.Generative(PresetRow.Default, length);
        Differences(freshTokenizer, tokenizer).Should().BeEquivalentTo(["RqVae.MaxTrainingTime"], "the library default is already 200 epochs");
        Differences(freshRecommender, recommender).Should().BeEquivalentTo(["MaxTrainingTime", "WarmupSteps", "LearningRateSchedule"]);
        // The library's cosine with 200 warm-up steps of 20 epochs × 514 Beauty batches (1.95%) → 2 of 105 steps.
        (recommender.LearningRateSchedule, recommender.WarmupSteps, recommender.NumberOfEpochs).Should().Be((LearningRateSchedule.CosineWithinTimeBudget, 2, 20));

        RetrievalRecipe fresh = GenRecPresets.TokenRec();
        RetrievalRecipe shortened = PresetRowOptions.TokenRec(length);
        Differences(fresh.ItemTokenizer, shortened.ItemTokenizer).Should().BeEquivalentTo(["MaskedKWay.MaxTrainingTime", "MaskedKWay.NumberOfEpochs"]);
        Differences(fresh.UserTokenizer, shortened.UserTokenizer).Should().BeEquivalentTo(["MaskedKWay.MaxTrainingTime", "MaskedKWay.NumberOfEpochs"]);
        (shortened.ItemTokenizer.MaskedKWay.NumberOfEpochs, shortened.UserTokenizer.MaskedKWay.MaxTrainingTime).Should().Be((200, TimeSpan.FromSeconds(30)));
        Differences(fresh.Retrieval, shortened.Retrieval).Should().BeEquivalentTo(["MaxTrainingTime"]);
    }

    [Fact]
    public void Every_row_runs_end_to_end_on_a_tiny_movielens_and_reports_every_figure()
    {
        // The presets' 256-code codebooks need at least 256 movies (and TokenRec's user codebook 256 users): the
        // library refuses a codebook larger than what it encodes, so "tiny" is 264 users and movies, 6 ratings each.
        const int users = 264;
        WriteMovieLens(users, movies: 264, perUser: 6);

        var (code, output, error) = Run("presets-movielens", "--data", _folder, "--minutes", "0.08", "--sasrec-minutes", "0.02",
            "--tokenizer-epochs", "4", "--sasrec-epochs", "2", "--text-cache", "none", "--text-threads", "1");

        code.Should().Be(BenchmarkProgram.Success, error + output);
        string resultLine = output.TrimEnd().Split('\n')[^1].TrimEnd('\r');
        resultLine.Should().StartWith("RESULT presets-movielens default_recall_10=").And.EndWith(" via=mlnet");
        Dictionary<string, string> figures = resultLine.Split(' ').Skip(2).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        foreach (string row in new[] { "default", "tiger", "letter", "tokenrec" })
        {
            Number(figures, $"{row}_recall_10").Should().BeInRange(0, 1);
            Number(figures, $"{row}_ndcg_10").Should().BeInRange(0, Number(figures, $"{row}_recall_10"), "NDCG@10 of one target never exceeds its Recall@10");
            Number(figures, $"{row}_valid_recall_10").Should().BeInRange(0, 1, "every row validates on the held-out second-last movie");
            Number(figures, $"{row}_train_seconds").Should().BePositive();
        }

        foreach (string baseline in new[] { "popularity", "cooccurrence", "sasrec" })
        {
            Number(figures, $"{baseline}_recall_10").Should().BeInRange(0, 1);
            Number(figures, $"{baseline}_ndcg_10").Should().BeInRange(0, 1);
        }

        figures["test_users"].Should().Be(users.ToString(CultureInfo.InvariantCulture), "every generated user has at least 3 movies");
        figures["minutes"].Should().Be("0.08");
        figures["exclude_history"].Should().Be("0");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static double Number(Dictionary<string, string> figures, string key)
    {
        figures.Should().ContainKey(key);
        return double.Parse(figures[key], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A MovieLens folder where user u rates movies u, u+1, ... (mod <paramref name="movies"/>) in that time order, so
    /// every user and movie passes the 5-core filter and sequences have a learnable next-movie pattern.
    /// </summary>
    private void WriteMovieLens(int users, int movies, int perUser)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_folder, "ml-latest-small")).FullName;
        string[] genres = ["Comedy", "Drama", "Action|Thriller", "Animation|Children"];
        var movieLines = new StringBuilder("movieId,title,genres\n");
        for (int m = 1; m <= movies; m++)
        {
            movieLines.Append(CultureInfo.InvariantCulture, $"{m},Generated Movie {m} ({1990 + m}),{genres[m % genres.Length]}\n");
        }

        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= users; u++)
        {
            for (int j = 0; j < perUser; j++)
            {
                ratings.Append(CultureInfo.InvariantCulture, $"{u},{(u + j) % movies + 1},4.0,{1_000_000 + (u * 100) + j}\n");
            }
        }

        File.WriteAllText(Path.Combine(folder, "movies.csv"), movieLines.ToString());
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), ratings.ToString());
    }

    /// <summary>Dotted paths of the public fields whose values differ, descending into the library's nested option objects.</summary>
    private static List<string> Differences(object expected, object actual, string prefix = "")
    {
        var differences = new List<string>();
        foreach (FieldInfo field in expected.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            object? a = field.GetValue(expected);
            object? b = field.GetValue(actual);
            string path = prefix + field.Name;
            if (a is not null && b is not null && field.FieldType.IsClass && field.FieldType.Namespace?.StartsWith("GenRec.MLNet", StringComparison.Ordinal) == true)
            {
                differences.AddRange(Differences(a, b, path + "."));
            }
            else if (a is IEnumerable sequenceA and not string && b is IEnumerable sequenceB)
            {
                if (!sequenceA.Cast<object>().SequenceEqual(sequenceB.Cast<object>()))
                {
                    differences.Add(path);
                }
            }
            else if (!Equals(a, b))
            {
                differences.Add(path);
            }
        }

        return differences;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = BenchmarkProgram.Run(args, BenchmarkRegistry.All, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
