using FluentAssertions;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Xunit;

namespace GenRec.MLNet.Tests.Persistence;

public sealed class WeightsCarrierTests
{
    private static readonly ToyInput[] Rows = { new() { X = 1f }, new() { X = 2.5f }, new() { X = -4f } };

    [Fact]
    public void WeightsTravelInsideTheZipAndRebuildTheModelAfterEviction()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] blob = ToyBlob(3.0f);
        string id = ModelBlobCache.ComputeId("toy", blob);
        ITransformer model = Fit(ml, id, blob);
        using var zip = new TempZip(ml, model, data);

        model.Transform(data).GetColumn<float>("Y").Should().Equal(3f, 7.5f, -12f);
        ModelBlobCache.Contains(id).Should().BeTrue();
        new FileInfo(zip.Path).Length.Should().BeGreaterThan(1000, "the weights are stored in the zip");

        // Forget the built model: the loaded chain must rebuild it from the zip alone.
        ModelBlobCache.Remove(id);
        ToyScaleFactory.Reset();
        var fresh = new MLContext(seed: 2);
        ITransformer loaded = fresh.Model.Load(zip.Path, out DataViewSchema schema);
        loaded.Transform(data).GetColumn<float>("Y").Should().Equal(3f, 7.5f, -12f);
        ToyScaleFactory.Loads.Should().Be(1, "the blob is deserialized once per process, not per row");

        var engine = fresh.Model.CreatePredictionEngine<ToyInput, ToyOutput>(loaded, inputSchema: schema);
        engine.Predict(new ToyInput { X = 10f }).Y.Should().Be(30f);
        ToyScaleFactory.Loads.Should().Be(1);
        ToyScaleFactory.RowsWithWeights.Should().Be(1, "a loaded chain copies the weights out of the zip once, to check them, then stops");
    }

    [Fact]
    public void EveryLoadChecksTheWeightsItCarriesOnce()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] blob = ToyBlob(2.0f);
        using var zip = new TempZip(ml, Fit(ml, ModelBlobCache.ComputeId("toy", blob), blob), data);
        ToyScaleFactory.Reset();

        for (int load = 0; load < 3; load++)
        {
            ITransformer loaded = ml.Model.Load(zip.Path, out _);
            loaded.Transform(data).GetColumn<float>("Y").Should().Equal(2f, 5f, -8f);
        }

        ToyScaleFactory.RowsWithWeights.Should().Be(3, "each loaded chain checks the bytes it carries, once");
    }

    [Fact]
    public void AZipCarryingOtherWeightsUnderACachedIdFailsInsteadOfServingTheCachedModel()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] genuine = ToyBlob(5.0f);
        string id = ModelBlobCache.ComputeId("toy", genuine);
        ITransformer genuineModel = Fit(ml, id, genuine);
        genuineModel.Transform(data).GetColumn<float>("Y").Should().Equal(5f, 12.5f, -20f); // the id is now cached
        using var forged = new TempZip(ml, Fit(ml, id, ToyBlob(-1.0f)), data);

        var engine = ml.Model.CreatePredictionEngine<ToyInput, ToyOutput>(ml.Model.Load(forged.Path, out _));
        Action serve = () => engine.Predict(new ToyInput { X = 1f });

        serve.Should().Throw<InvalidDataException>().WithMessage($"*'{id}' hash to*");
        serve.Should().Throw<InvalidDataException>("every row of that chain fails, not only the first");
        genuineModel.Transform(data).GetColumn<float>("Y").Should().Equal(5f, 12.5f, -20f);
    }

    [Fact]
    public void ACorruptZipFailsWhetherOrNotItsIdIsCached()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] blob = ToyBlob(4.0f);
        string id = ModelBlobCache.ComputeId("toy", blob);
        byte[] damaged = (byte[])blob.Clone();
        damaged[500] ^= 0x40;
        using var corrupt = new TempZip(ml, Fit(ml, id, damaged), data);

        ModelBlobCache.Remove(id);
        Action uncached = () => Predict(ml, corrupt.Path);
        uncached.Should().Throw<InvalidDataException>().WithMessage("*corrupt*");

        Fit(ml, id, blob).Transform(data).GetColumn<float>("Y").ToArray(); // now the genuine model is cached
        Action cached = () => Predict(ml, corrupt.Path);
        cached.Should().Throw<InvalidDataException>().WithMessage("*corrupt*");
    }

    [Fact]
    public void AZipWithNoWeightsFailsEvenWhenTheIdIsCached()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] blob = ToyBlob(6.0f);
        string id = ModelBlobCache.ComputeId("toy", blob);
        ITransformer genuineModel = Fit(ml, id, blob);
        genuineModel.Transform(data).GetColumn<float>("Y").ToArray();
        using var empty = new TempZip(ml, Fit(ml, id, Array.Empty<byte>()), data);

        Action serve = () => Predict(ml, empty.Path);

        serve.Should().Throw<InvalidDataException>().WithMessage($"*carries no weights for model '{id}'*");
    }

    [Fact]
    public void AnUnpairedComputeStepWithNoWeightsAndNoCachedModelIsAClearError()
    {
        CarrierLink.Claim(); // nothing pending on this thread: the step below is unpaired
        var carried = CarriedModel<object>.ForComputeStep(_ => new object());

        Action resolve = () => carried.Resolve("toy-0000", Array.Empty<byte>());

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*'toy-0000' are not loaded*");
    }

    [Fact]
    public void RemoveWhilePredictionsRunNeverDisposesAModelInUse()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] blob = ToyBlob(1.5f);
        string id = ModelBlobCache.ComputeId("toy", blob);
        using var zip = new TempZip(ml, Fit(ml, id, blob), data);
        ITransformer loaded = ml.Model.Load(zip.Path, out DataViewSchema schema);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();

        Thread[] predictors = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                // Two threads share a long-lived chain; two load the zip again and again (rebuilding after removals).
                var own = new MLContext(seed: t);
                var engine = own.Model.CreatePredictionEngine<ToyInput, ToyOutput>(loaded, inputSchema: schema);
                while (!stop.IsCancellationRequested)
                {
                    if (t >= 2)
                    {
                        engine = own.Model.CreatePredictionEngine<ToyInput, ToyOutput>(own.Model.Load(zip.Path, out _), inputSchema: schema);
                    }

                    engine.Predict(new ToyInput { X = t }).Y.Should().Be(1.5f * t);
                }
            }
            catch (Exception ex)
            {
                errors.Enqueue(ex);
            }
        })).ToArray();
        foreach (Thread thread in predictors)
        {
            thread.Start();
        }

        for (int i = 0; i < 200; i++)
        {
            ModelBlobCache.Remove(id);
            Thread.Sleep(1);
        }

        stop.Cancel();
        foreach (Thread thread in predictors)
        {
            thread.Join();
        }

        errors.Should().BeEmpty();
        ToyScaleFactory.DisposedWhileInUse.Should().Be(0);
    }

    [Fact]
    public void RemoveDisposesAModelNoChainHoldsAndForgetsOneThatIsHeld()
    {
        var free = new DisposableScale(1f);
        ModelBlobCache.Add("toy-free", free);
        ModelBlobCache.Remove("toy-free");
        free.Disposed.Should().BeTrue();

        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows);
        byte[] blob = ToyBlob(7f);
        string id = ModelBlobCache.ComputeId("toy", blob);
        ITransformer model = Fit(ml, id, blob);
        model.Transform(data).GetColumn<float>("Y").ToArray();

        ModelBlobCache.Remove(id);

        ModelBlobCache.Contains(id).Should().BeFalse();
        model.Transform(data).GetColumn<float>("Y").Should().Equal(7f, 17.5f, -28f);
    }

    private static float Predict(MLContext ml, string zip) =>
        ml.Model.CreatePredictionEngine<ToyInput, ToyOutput>(ml.Model.Load(zip, out _)).Predict(new ToyInput { X = 1f }).Y;

    private static byte[] ToyBlob(float scale) => BitConverter.GetBytes(scale).Concat(new byte[100_000]).ToArray(); // scale + padding

    private static ITransformer Fit(MLContext ml, string id, byte[] blob)
    {
        ml.ComponentCatalog.RegisterAssembly(typeof(ToyScaleFactory).Assembly);
        return WeightsCarrier.Create(ml, id, blob)
            .Append(ml.Transforms.CustomMapping(new ToyScaleFactory().GetMapping(), ToyScaleFactory.Contract))
            .Fit(ml.Data.LoadFromEnumerable(Rows));
    }

    private sealed class TempZip : IDisposable
    {
        public TempZip(MLContext ml, ITransformer model, IDataView data)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"genrec-carrier-{Guid.NewGuid():N}.zip");
            ml.Model.Save(model, data.Schema, Path);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}

public sealed class ToyInput
{
    public float X { get; set; }
}

public sealed class ToyOutput
{
    public float Y { get; set; }
}

public sealed class ToyComputeInput
{
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    public float X;
}

public sealed class ToyComputeOutput
{
    public float Y;
}

[CustomMappingFactoryAttribute(Contract)]
public sealed class ToyScaleFactory : CustomMappingFactory<ToyComputeInput, ToyComputeOutput>
{
    public const string Contract = "GenRec.Tests.ToyScale.v1";

    public static int Loads;

    public static int RowsWithWeights;

    public static int DisposedWhileInUse;

    public static void Reset()
    {
        Loads = 0;
        RowsWithWeights = 0;
    }

    public override Action<ToyComputeInput, ToyComputeOutput> GetMapping()
    {
        var carried = CarriedModel<DisposableScale>.ForComputeStep(bytes =>
        {
            Interlocked.Increment(ref Loads);
            return new DisposableScale(BitConverter.ToSingle(bytes, 0));
        });
        return (input, output) =>
        {
            if (input.Weights.Length > 0)
            {
                Interlocked.Increment(ref RowsWithWeights);
            }

            DisposableScale model = carried.Resolve(input.ModelId, input.Weights);
            Thread.Yield(); // widen the window in which a removal could dispose the model mid-row
            if (model.Disposed)
            {
                Interlocked.Increment(ref DisposedWhileInUse);
            }

            output.Y = input.X * model.Value;
        };
    }
}

/// <summary>A toy model that, like a TorchSharp network, must not be used after disposal.</summary>
public sealed class DisposableScale : IDisposable
{
    private readonly float _value;

    public DisposableScale(float value) => _value = value;

    public bool Disposed { get; private set; }

    public float Value => Disposed ? throw new ObjectDisposedException(nameof(DisposableScale)) : _value;

    public void Dispose() => Disposed = true;
}
