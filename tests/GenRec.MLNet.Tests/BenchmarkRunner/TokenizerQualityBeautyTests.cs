using FluentAssertions;
using GenRec.Benchmarks;
using GenRec.Benchmarks.Benchmarks;
using Xunit;

namespace GenRec.MLNet.Tests.BenchmarkRunner;

/// <summary>
/// <c>tokenizer-quality-beauty</c>'s parts that need no training: which code sets <c>--sets</c> chooses, that a set
/// whose input is missing fails the run naming the set before anything is loaded, and that set (a) is exactly the
/// codes of the released file.
/// </summary>
public sealed class TokenizerQualityBeautyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genrec-tokq-").FullName;

    [Fact]
    public void Without_sets_every_code_set_runs_in_the_issues_order()
    {
        TokenizerQualityCodeSet.Parse(null).Select(s => s.Key).Should().Equal("letter", "text", "textcf", "textcfdiv", "cf", "rqkmeans");
        TokenizerQualityCodeSet.Parse(null).Select(s => s.Letter).Should().Equal("a", "b", "c", "d", "e", "f");
    }

    [Theory]
    [InlineData("d,a", new[] { "letter", "textcfdiv" })]
    [InlineData(" CF , Letter ", new[] { "letter", "cf" })]
    [InlineData("f,e,textcf", new[] { "textcf", "cf", "rqkmeans" })]
    [InlineData("b", new[] { "text" })]
    public void Sets_accepts_letters_and_keys_in_any_order_and_case_and_runs_them_in_the_issues_order(string option, string[] expected)
    {
        TokenizerQualityCodeSet.Parse(option).Select(s => s.Key).Should().Equal(expected);
    }

    [Theory]
    [InlineData("a,zz", "unknown code set 'zz'")]
    [InlineData("a,letter", "names code set 'a' (letter) twice")]
    [InlineData(" , ", "names no code set")]
    public void Sets_rejects_unknown_repeated_and_empty_lists(string option, string expected)
    {
        Action parse = () => TokenizerQualityCodeSet.Parse(option);

        parse.Should().Throw<UsageException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void Only_the_sets_built_from_text_or_sasrec_say_they_need_it()
    {
        TokenizerQualityCodeSet.All.Where(s => s.NeedsText).Select(s => s.Letter).Should().Equal("b", "c", "d", "f");
        TokenizerQualityCodeSet.All.Where(s => s.NeedsSasRec).Select(s => s.Letter).Should().Equal("c", "d", "e", "f");
    }

    [Fact]
    public void A_missing_letter_file_fails_the_run_naming_set_a_before_anything_loads()
    {
        var (code, output, error) = Run("tokenizer-quality-beauty", "--sets", "a,e", "--data", _folder);

        code.Should().Be(BenchmarkProgram.Failure, error);
        error.Should().Contain("(a) letter cannot be built").And.Contain("Beauty.letter-index.json");
        output.Should().NotContain("RESULT").And.NotContain("load beauty", "the check comes before the dataset is read");
    }

    [Fact]
    public void A_missing_text_cache_fails_the_run_naming_every_text_set_chosen()
    {
        string cache = Path.Combine(_folder, "no-such-vectors.bin");

        var (code, _, error) = Run("tokenizer-quality-beauty", "--sets", "b,d,e", "--data", _folder, "--text-cache", cache);

        code.Should().Be(BenchmarkProgram.Failure, error);
        error.Should().Contain("Code sets (b) text, (d) textcfdiv cannot be built").And.Contain(cache).And.NotContain("(e)");
    }

    [Theory]
    [InlineData("--sets", "q")]
    [InlineData("--test-users", "0")]
    public void Bad_values_of_its_own_options_exit_2(string option, string value)
    {
        var (code, _, error) = Run("tokenizer-quality-beauty", option, value, "--data", _folder);

        code.Should().Be(BenchmarkProgram.BadCommandLine, error);
        error.Should().StartWith("error: ").And.Contain(option);
    }

    [Fact]
    public void Set_a_is_the_released_files_codes_with_no_tokenizer_time()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "beauty"));
        string path = Path.Combine(_folder, "beauty", "Beauty.letter-index.json");
        File.WriteAllText(path, """{"0": ["<a_3>", "<b_1>", "<c_0>"], "1": ["<a_3>", "<b_2>", "<c_7>"], "2": ["<a_0>", "<b_1>", "<c_5>"]}""");
        var context = new BenchmarkContext(
            new BenchmarkArguments(new TokenizerQualityBeautyBenchmark(), _folder, null, 0, null, new Dictionary<string, string>()), TextWriter.Null, CancellationToken.None);

        TokenizerQualityCodeBuilder.BuiltCodes built = TokenizerQualityCodeBuilder.Build(context, TokenizerQualityCodeSet.LetterReleased, new TokenizerQualityInputs(3, path, null, 0, null));

        built.Codes.ItemCount.Should().Be(3);
        built.Codes.GetCodes(0).Should().Equal(3, 1, 0);
        built.Codes.GetCodes(1).Should().Equal(3, 2, 7);
        built.Codes.GetCodes(2).Should().Equal(0, 1, 5);
        built.TokenizerTime.Should().Be(TimeSpan.Zero, "released codes are read, not trained");
        built.TokenizerEpochs.Should().BeNull();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = BenchmarkProgram.Run(args, BenchmarkRegistry.All, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
