using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Serving;

/// <summary>
/// Serving in blocks (a cursor reads rows ahead and decodes each block with one batched beam search) gives every row
/// what the row-at-a-time path gives it: the loaded zip's own Transform, a custom mapping per row, is the reference.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class BlockServingTests
{
    private const float Tolerance = 1e-5f;
    private readonly ServingFixture _fixture;

    public BlockServingTests(ServingFixture fixture) => _fixture = fixture;

    public static TheoryData<string> Layouts => new() { "history", "user-history", "rows-encoder-decoder", "rows-decoder-only" };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void BlocksOfTheLoadedZipAndTheFittedModelMatchRowAtATimeServing(string layout)
    {
        ServedModel served = Model(layout);
        IDataView rows = served.Context.Data.LoadFromEnumerable(served.Rows);
        List<ServedRow> reference = ServedRow.ReadAll(served.Loaded.Transform(rows));
        reference.Should().HaveCount(served.Rows.Length);
        reference.Should().OnlyContain(r => r.RecommendedItems.Length > 0 && r.RecommendedItems.Length <= 10, "every row gets up to the model's TopK items (fewer when history items are skipped)");

        // Block sizes that divide the rows unevenly (a short last block), one row per block, and the default.
        foreach (int blockSize in new[] { 7, 1, 128 })
        {
            ShouldMatch(ServedRow.ReadAll(served.Context.GenerativeRecommendation().TransformInBlocks(served.Loaded, rows, blockSize)), reference, $"loaded zip in blocks of {blockSize}");
        }

        ShouldMatch(ServedRow.ReadAll(served.Fitted.Transform(rows)), reference, "the fitted model's own Transform");
        if (served.InteractionRows)
        {
            reference.Count(r => !float.IsNaN(r.Score)).Should().BeGreaterThan(10, "rows naming a known item get that item's score");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ACursorThatSkipsRowsOrReadsSomeColumnsGetsTheSameValues(string layout)
    {
        ServedModel served = Model(layout);
        IDataView rows = served.Context.Data.LoadFromEnumerable(served.Rows);
        List<ServedRow> reference = ServedRow.ReadAll(served.Loaded.Transform(rows));
        IDataView blocks = served.Context.GenerativeRecommendation().TransformInBlocks(served.Loaded, rows, blockSize: 5);

        // Only the scores, only every third row, plus a column passed through from the input.
        DataViewSchema.Column scores = blocks.Schema["Scores"];
        DataViewSchema.Column user = blocks.Schema["UserId"];
        using (DataViewRowCursor cursor = blocks.GetRowCursor(new[] { scores, user }))
        {
            cursor.IsColumnActive(blocks.Schema["RecommendedItems"]).Should().BeFalse();
            var getScores = cursor.GetGetter<VBuffer<float>>(scores);
            var getUser = cursor.GetGetter<uint>(user);
            VBuffer<float> values = default;
            uint key = 0;
            int row = -1;
            while (cursor.MoveNext())
            {
                row++;
                cursor.Position.Should().Be(row);
                if (row % 3 != 0)
                {
                    continue;
                }

                getScores(ref values);
                values.DenseValues().Should().Equal(reference[row].Scores, (a, b) => Math.Abs(a - b) <= Tolerance);
                getUser(ref key);
                key.Should().Be(ExpectedUserKey(served.Rows[row].User), "input columns pass through with their own row");
            }

            row.Should().Be(served.Rows.Length - 1);
        }

        // No output requested: the rows pass through without a model (nothing is decoded).
        using (DataViewRowCursor cursor = blocks.GetRowCursor(new[] { user }))
        {
            int count = 0;
            while (cursor.MoveNext())
            {
                count++;
            }

            count.Should().Be(served.Rows.Length);
        }
    }

    private static uint ExpectedUserKey(string user)
    {
        int index = Array.IndexOf(Generative.GenerativeTestData.Catalog.Dataset.UserIds.ToArray(), user);
        return index < 0 ? 0u : (uint)index + 1;
    }

    private static void ShouldMatch(List<ServedRow> actual, List<ServedRow> expected, string path)
    {
        actual.Should().HaveCount(expected.Count, path);
        for (int r = 0; r < expected.Count; r++)
        {
            actual[r].RecommendedItems.Should().Equal(expected[r].RecommendedItems, $"{path}, row {r}");
            actual[r].Scores.Should().Equal(expected[r].Scores, (a, b) => Math.Abs(a - b) <= Tolerance, $"{path}, row {r}");
            if (float.IsNaN(expected[r].Score))
            {
                actual[r].Score.Should().Be(float.NaN, $"{path}, row {r}");
            }
            else
            {
                actual[r].Score.Should().BeApproximately(expected[r].Score, Tolerance, $"{path}, row {r}");
            }
        }
    }

    private ServedModel Model(string layout) => layout switch
    {
        "history" => _fixture.Histories,
        "user-history" => _fixture.UserHistories,
        "rows-encoder-decoder" => _fixture.EncoderDecoderRows,
        _ => _fixture.DecoderOnlyRows,
    };
}
