using System.Collections.Concurrent;
using FluentAssertions;
using GenRec.MLNet.Persistence;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Serving;

/// <summary>The two concurrency checks every served model kind must pass (see the serving concurrency tests).</summary>
internal static class ConcurrentScoring
{
    /// <summary>
    /// Scores <paramref name="rows"/> with one engine, then on <paramref name="threads"/> threads with one engine each
    /// (each in its own row order, the model cache cleared halfway: engines keep the model they hold), and asserts that
    /// every thread got the single engine's items and scores.
    /// </summary>
    public static void AssertThreadsAgree<TEngine, TRow>(Func<MLContext, TEngine> createEngine, TRow[] rows, Func<TEngine, TRow, (uint[] Items, float[] Scores)> predict, int threads = 8)
    {
        TEngine single = createEngine(new MLContext(seed: 0));
        (uint[] Items, float[] Scores)[] expected = rows.Select(row => predict(single, row)).ToArray();
        expected.Should().OnlyContain(e => e.Items.Length > 0);
        expected.Select(e => string.Join(',', e.Items)).Distinct().Should().HaveCountGreaterThan(1, "rows must differ for the comparison to mean anything");

        var results = new (uint[] Items, float[] Scores)[threads][];
        var errors = new ConcurrentQueue<Exception>();
        using var halfway = new CountdownEvent(threads);
        Thread[] workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
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
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        halfway.Wait(TimeSpan.FromMinutes(2)).Should().BeTrue();
        ModelBlobCache.Clear();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        errors.Should().BeEmpty();
        for (int t = 0; t < threads; t++)
        {
            for (int row = 0; row < rows.Length; row++)
            {
                results[t][row].Items.Should().Equal(expected[row].Items, $"thread {t}, row {row}");
                results[t][row].Scores.Should().Equal(expected[row].Scores, $"thread {t}, row {row}");
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> (which asserts its own result) on 4 threads in a loop, disposes the model with
    /// <paramref name="dispose"/> after <paramref name="callsBeforeDisposal"/> finished calls, and asserts that every
    /// thread's next call is refused with an <see cref="ObjectDisposedException"/> whose message contains
    /// <paramref name="refusal"/>: no other error, no crash; disposing again is harmless.
    /// </summary>
    public static void AssertDisposalDuringScoringIsRefusedCleanly(Action<int> call, Action dispose, string refusal, int callsBeforeDisposal)
    {
        var unexpected = new ConcurrentQueue<Exception>();
        int finished = 0, refused = 0;
        Thread[] threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = t; ; i++)
            {
                try
                {
                    call(i);
                    Interlocked.Increment(ref finished);
                }
                catch (ObjectDisposedException ex)
                {
                    ex.Message.Should().Contain(refusal);
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

        SpinWait.SpinUntil(() => Volatile.Read(ref finished) >= callsBeforeDisposal, TimeSpan.FromMinutes(1));
        dispose();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        unexpected.Should().BeEmpty();
        finished.Should().BeGreaterThanOrEqualTo(callsBeforeDisposal);
        refused.Should().Be(4, "every thread's next call after the disposal is refused");
        FluentActions.Invoking(dispose).Should().NotThrow("disposing twice is harmless");
    }
}
