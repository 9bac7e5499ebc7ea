using System.Collections.Concurrent;
using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Serving;

/// <summary>
/// A loaded model serves many threads at once without a lock around it: each thread's engine gets exactly what one
/// engine alone gets, also while the cache unloads the model, and disposing a model while threads score with it ends in
/// a clear <see cref="ObjectDisposedException"/> or a finished call, never a crash.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class ServingConcurrencyTests
{
    private readonly ServingFixture _fixture;

    public ServingConcurrencyTests(ServingFixture fixture) => _fixture = fixture;

    [Fact]
    public void EightThreadsWithOneEngineEachGetWhatOneEngineGetsAlone()
    {
        foreach (ServedModel served in new[] { _fixture.EncoderDecoderRows, _fixture.UserHistories })
        {
            var sequential = served.Context.Model.CreatePredictionEngine<ServingRow, EngineOutput>(served.Loaded);
            EngineOutput[] expected = served.Rows.Select(row => Copy(sequential.Predict(row))).ToArray();
            expected.Should().OnlyContain(o => o.RecommendedItems.Length > 0);

            var results = new EngineOutput[8][];
            var errors = new ConcurrentQueue<Exception>();
            using var halfway = new CountdownEvent(8);
            Thread[] threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
            {
                try
                {
                    var engine = new MLContext(seed: t).Model.CreatePredictionEngine<ServingRow, EngineOutput>(served.Loaded);
                    var mine = new EngineOutput[served.Rows.Length];
                    for (int i = 0; i < served.Rows.Length; i++)
                    {
                        int row = (i + (t * 5)) % served.Rows.Length; // each thread in its own order
                        mine[row] = Copy(engine.Predict(served.Rows[row]));
                        if (i == served.Rows.Length / 2)
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

            // Unloading the cached model while engines hold it: they keep serving the model they hold.
            halfway.Wait(TimeSpan.FromMinutes(2)).Should().BeTrue();
            ModelBlobCache.Clear();
            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            errors.Should().BeEmpty();
            for (int t = 0; t < 8; t++)
            {
                for (int row = 0; row < expected.Length; row++)
                {
                    results[t][row].RecommendedItems.Should().Equal(expected[row].RecommendedItems, $"{served}, thread {t}, row {row}");
                    results[t][row].Scores.Should().Equal(expected[row].Scores, $"{served}, thread {t}, row {row}");
                }
            }
        }
    }

    [Fact]
    public void DisposingAModelWhileThreadsScoreEndsInAClearErrorOrAFinishedCall()
    {
        var fitted = (GenerativeRecommenderTransformer)((TransformerChain<ITransformer>)_fixture.DecoderOnlyRows.Fitted).LastTransformer;
        GenerativeRecommenderModel model = GenerativeModelBlob.Load(GenerativeModelBlob.Save(fitted.Model));
        RecommendationRequest[] requests = Generative.GenerativeTestData.Requests(16).ToArray();
        int[][] expected = model.Recommend(requests, 10, excludeHistory: false);
        var unexpected = new ConcurrentQueue<Exception>();
        int finished = 0;
        int refused = 0;
        using var started = new CountdownEvent(4);
        Thread[] threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            started.Signal();
            for (int i = 0; ; i++)
            {
                try
                {
                    model.Recommend(requests, 10, excludeHistory: false).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
                    Interlocked.Increment(ref finished);
                }
                catch (ObjectDisposedException ex)
                {
                    ex.Message.Should().Contain("disposed");
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

        started.Wait();
        SpinWait.SpinUntil(() => Volatile.Read(ref finished) >= 4, TimeSpan.FromMinutes(1));
        model.Dispose();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        unexpected.Should().BeEmpty();
        finished.Should().BeGreaterThanOrEqualTo(4);
        refused.Should().Be(4, "every thread's next call after the disposal is refused");
        model.Invoking(m => m.Recommend(requests, 10, excludeHistory: false)).Should().Throw<ObjectDisposedException>();
        model.Invoking(m => m.Dispose()).Should().NotThrow("disposing twice is harmless");
    }

    private static EngineOutput Copy(EngineOutput output) => new() { RecommendedItems = output.RecommendedItems.ToArray(), Scores = output.Scores.ToArray() };

    /// <summary>A PredictionEngine's output row (the engine reuses it, so results are copied).</summary>
    public sealed class EngineOutput
    {
        public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

        public float[] Scores { get; set; } = Array.Empty<float>();
    }
}
