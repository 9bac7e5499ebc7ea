using System.Collections.Concurrent;
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
    private const int Threads = 8;
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

        AssertThreadsAgree(ml => ml.Model.CreatePredictionEngine<SasRecRow, SasRecPrediction>(loaded.Model), rows,
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

            AssertThreadsAgree(context => context.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(loaded), rows,
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
        var unexpected = new ConcurrentQueue<Exception>();
        int finished = 0, refused = 0;
        Thread[] threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = t; ; i++)
            {
                try
                {
                    var (items, scores) = served.Recommend(histories[i % histories.Length], Array.Empty<uint>());
                    items.Should().Equal(expected[i % histories.Length].Items);
                    scores.Should().Equal(expected[i % histories.Length].Scores);
                    Interlocked.Increment(ref finished);
                }
                catch (ObjectDisposedException ex)
                {
                    ex.Message.Should().Contain("SASRec model was disposed");
                    Interlocked.Increment(ref refused);
                    return;
                }
                catch (Exception ex)
                {
                    unexpected.Enqueue(ex);
                    return;
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        SpinWait.SpinUntil(() => Volatile.Read(ref finished) >= 40, TimeSpan.FromMinutes(1));
        served.Dispose();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        unexpected.Should().BeEmpty();
        finished.Should().BeGreaterThanOrEqualTo(40);
        refused.Should().Be(4, "every thread's next call after the disposal is refused");
        served.Invoking(s => s.Dispose()).Should().NotThrow("disposing twice is harmless");
    }

    /// <summary>
    /// Scores <paramref name="rows"/> with one engine, then on 8 threads with one engine each (each in its own row
    /// order, the model cache cleared halfway), and asserts every thread got the single engine's items and scores.
    /// </summary>
    private static void AssertThreadsAgree<TEngine, TRow>(Func<MLContext, TEngine> createEngine, TRow[] rows, Func<TEngine, TRow, (uint[] Items, float[] Scores)> predict)
    {
        TEngine single = createEngine(new MLContext(seed: 0));
        (uint[] Items, float[] Scores)[] expected = rows.Select(row => predict(single, row)).ToArray();
        expected.Should().OnlyContain(e => e.Items.Length > 0);
        expected.Select(e => string.Join(',', e.Items)).Distinct().Should().HaveCountGreaterThan(1, "rows must differ for the comparison to mean anything");

        var results = new (uint[] Items, float[] Scores)[Threads][];
        var errors = new ConcurrentQueue<Exception>();
        using var halfway = new CountdownEvent(Threads);
        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                TEngine engine = createEngine(new MLContext(seed: t));
                var mine = new (uint[] Items, float[] Scores)[rows.Length];
                for (int i = 0; i < rows.Length; i++)
                {
                    int row = (i + (t * 7)) % rows.Length;
                    mine[row] = predict(engine, rows[row]);
                    if (i == rows.Length / 2)
                    {
                        halfway.Signal();
                    }
                }

                results[t] = mine;
            }
            catch (Exception ex)
            {
                errors.Enqueue(ex);
                halfway.Signal();
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        halfway.Wait(TimeSpan.FromMinutes(2)).Should().BeTrue();
        ModelBlobCache.Clear(); // engines keep serving the model they hold
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        errors.Should().BeEmpty();
        for (int t = 0; t < Threads; t++)
        {
            for (int row = 0; row < rows.Length; row++)
            {
                results[t][row].Items.Should().Equal(expected[row].Items, $"thread {t}, row {row}");
                results[t][row].Scores.Should().Equal(expected[row].Scores, $"thread {t}, row {row}");
            }
        }
    }
}
