using FluentAssertions;
using GenRec.Cli;
using GenRec.Cli.Input;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>The CLI's input layer on small hand-written files of each format: rows, timestamps, titles, inference and errors.</summary>
public sealed class InteractionFileReaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "genrec-cli-reader-" + Guid.NewGuid().ToString("N"));
    private readonly MLContext _ml = new(seed: 0);

    public InteractionFileReaderTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void Csv_columns_are_found_by_name_in_any_order_with_quoted_fields_and_fractional_timestamps()
    {
        string path = Write("events.csv", "ts,item_id,Rating,userId\n1.5,\"a,1\",5,u1\n0.25,b,3,u2\n");
        InteractionTable table = InteractionFileReader.Read(_ml, path, null, null);
        table.Rows.Select(r => (r.User, r.Item, r.Timestamp)).Should().Equal(("u1", "a,1", 1.5), ("u2", "b", 0.25));
        table.HasTimestamps.Should().BeTrue();
        table.CountUsers().Should().Be(2);
    }

    [Fact]
    public void Csv_without_timestamps_uses_the_row_number_and_an_items_file_gives_titles()
    {
        string path = Write("plain.csv", "User,Item\nu1,i1\nu1,i2\nu2,i1\n");
        string items = Write("items.csv", "Item,Title\ni1,\"First, the item\"\ni2,Second\n");
        InteractionTable table = InteractionFileReader.Read(_ml, path, InteractionFormat.Csv, items);
        table.Rows.Select(r => r.Timestamp).Should().Equal(0, 1, 2);
        table.HasTimestamps.Should().BeFalse();
        table.ItemTitles.Should().Equal(new Dictionary<string, string> { ["i1"] = "First, the item", ["i2"] = "Second" });
    }

    [Fact]
    public void MovieLens_folder_is_inferred_and_titles_carry_the_genres()
    {
        string folder = Path.Combine(_folder, "ml");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), "userId,movieId,rating,timestamp\n1,10,4.0,100\n1,20,3.5,90\n2,10,5.0,95\n");
        File.WriteAllText(Path.Combine(folder, "movies.csv"), "movieId,title,genres\n10,\"Heat, The (1995)\",Action|Crime\n20,Up (2009),Animation\n");
        InteractionFormats.Infer(folder).Should().Be(InteractionFormat.MovieLens);
        InteractionTable table = InteractionFileReader.Read(_ml, folder, null, null);
        table.Rows.Select(r => (r.User, r.Item, r.Timestamp)).Should().Equal(("1", "10", 100d), ("1", "20", 90d), ("2", "10", 95d));
        table.ItemTitles["10"].Should().Contain("Heat, The (1995)").And.Contain("Action");

        // recommend --items reads movies.csv directly: title, then the genres.
        InteractionFileReader.ReadTitles(_ml, Path.Combine(folder, "movies.csv"))["10"].Should().Be("Heat, The (1995) (Action, Crime)");
    }

    [Fact]
    public void RecBole_inter_is_inferred_from_its_extension()
    {
        string path = Write("shop.inter", "user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t5\nu2\ti2\t7\n");
        InteractionFormats.Infer(path).Should().Be(InteractionFormat.RecBole);
        InteractionTable table = InteractionFileReader.Read(_ml, path, null, null);
        table.Rows.Select(r => (r.User, r.Item, r.Timestamp)).Should().Equal(("u1", "i1", 5d), ("u2", "i2", 7d));
    }

    [Fact]
    public void LightGcn_train_file_needs_its_test_file()
    {
        string train = Write("train.txt", "0 1 2\n1 2\n");
        var missingTest = () => InteractionFileReader.Read(_ml, train, null, null);
        missingTest.Should().Throw<CliException>().WithMessage("*test.txt*");
        Write("test.txt", "0 3\n1 1\n");
        InteractionTable table = InteractionFileReader.Read(_ml, train, null, null);
        table.Rows.Select(r => (r.User, r.Item)).Should().Equal(("0", "1"), ("0", "2"), ("1", "2"));
    }

    [Fact]
    public void A_malformed_file_of_a_library_format_is_a_one_line_error_naming_the_file()
    {
        string path = Write("broken.inter", "user_id:token\titem_id:token\nu1\n");
        var read = () => InteractionFileReader.Read(_ml, path, null, null);
        read.Should().Throw<CliException>().Which.Message.Should().Contain("broken.inter");
    }

    [Fact]
    public void Format_names_round_trip_and_an_unknown_one_lists_the_known_ones()
    {
        foreach (string name in InteractionFormats.Names)
        {
            InteractionFormats.Name(InteractionFormats.Parse(name)).Should().Be(name);
        }

        var parse = () => InteractionFormats.Parse("xml");
        parse.Should().Throw<CliException>().WithMessage("unknown format 'xml'*csv, amazon-json, movielens, recbole, lightgcn");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
