using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tests.Collaborative;
using GenRec.MLNet.Tests.Generative.Retrieval;
using GenRec.MLNet.Tests.Pipeline;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Serving;

/// <summary>
/// Loaded SASRec and generative-retrieval zips serve many threads at once without a lock around the model: each of 8
/// threads with its own <c>PredictionEngine</c> gets exactly what one engine alone gets (also while the cache unloads
/// the model), and disposing a served SASRec while threads score ends in <see cref="ObjectDisposedException"/> or a
/// finished call, never a crash.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class SasRecAndRetrievalConcurrencyTests : IClassFixture<SasRecServingFixture>, IClassFixture<RetrievalPipelineFixture>
{
    private readonly SasRecServingFixture _sasRec;
    private readonly RetrievalPipelineFixture _retrieval;

    public SasRecAndRetrievalConcurrencyTests(SasRecServingFixture sasRec, RetrievalPipelineFixture retrieval)
    {
        _sasRec = sasRec;
        _retrieval = retrieval;
    }

    [Fact]
    public void EightSasRecEnginesGetWhatOneEngineGetsAlone()
    {
        using SasRecServingFixture.LoadedModel loaded = _sasRec.SaveAndLoad();
        var data = SasRecServingFixture.Catalog.Dataset;
        SasRecRow[] rows = Enumerable.Range(0, 40).Select(u => new SasRecRow { User = data.UserIds[u] })
            .Concat(Enumerable.Range(0, 10).Select(u => new SasRecRow { User = "never-seen", History = new[] { data.ItemIds[u], data.ItemIds[u + 7] } }))
            .ToArray();

        ConcurrentScoring.AssertThreadsAgree(ml => ml.Model.CreatePredictionEngine<SasRecRow, SasRecPrediction>(loaded.Model), rows,
            (engine, row) => { SasRecPrediction p = engine.Predict(row); return (p.RecommendedItems.ToArray(), p.Scores.ToArray()); });
    }

    [Fact]
    public void EightRetrievalEnginesGetWhatOneEngineGetsAlone()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-retrieval-threads-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(_retrieval.Model, _retrieval.Training.Schema, path);
            ModelBlobCache.Clear(); // only the zip can supply the weights
            ITransformer loaded = new MLContext(seed: 2).Model.Load(path, out _);
            InteractionRow[] rows = RetrievalPipelineFixture.Data.UserIds.Take(40).Select(user => new InteractionRow { User = user }).ToArray();

            ConcurrentScoring.AssertThreadsAgree(context => context.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(loaded), rows,
                (engine, row) => { PipelineRecommendation p = engine.Predict(row); return (p.RecommendedItems.ToArray(), p.Scores.ToArray()); });
        }
        finally
        {
            File.Delete(path);
            ModelBlobCache.Clear();
        }
    }

    [Fact]
    public void DisposingAServedSasRecWhileThreadsScoreEndsInAClearErrorOrAFinishedCall()
    {
        CollaborativeEmbeddingModel trained = _sasRec.Collaborative.Model;
        SasRecServingModel served = SasRecModelBlob.Load(SasRecModelBlob.Save(trained.SequenceNetwork!, trained.ItemCount, SasRecServingFixture.Options()));
        uint[][] histories = Enumerable.Range(0, 6).Select(u => new[] { (uint)u + 1, (uint)u + 9, (uint)u + 3 }).ToArray();
        (uint[] Items, float[] Scores)[] expected = histories.Select(h => served.Recommend(h, Array.Empty<uint>())).ToArray();
        expected.Should().OnlyContain(e => e.Items.Length > 0);
        ConcurrentScoring.AssertDisposalDuringScoringIsRefusedCleanly(i =>
        {
            var (items, scores) = served.Recommend(histories[i % histories.Length], Array.Empty<uint>());
            items.Should().Equal(expected[i % histories.Length].Items);
            scores.Should().Equal(expected[i % histories.Length].Scores);
        }, served.Dispose, "SASRec model was disposed", callsBeforeDisposal: 40);
    }
}
