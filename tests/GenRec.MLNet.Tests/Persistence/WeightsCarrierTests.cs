using FluentAssertions;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Xunit;

namespace GenRec.MLNet.Tests.Persistence;

public sealed class WeightsCarrierTests
{
    [Fact]
    public void WeightsTravelInsideTheZipAndRebuildTheModelAfterEviction()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new ToyInput { X = 1f }, new ToyInput { X = 2.5f }, new ToyInput { X = -4f } });
        byte[] blob = BitConverter.GetBytes(3.0f).Concat(new byte[100_000]).ToArray(); // a "model": scale factor + padding
        string id = ModelBlobCache.ComputeId("toy", blob);
        ml.ComponentCatalog.RegisterAssembly(typeof(ToyScaleFactory).Assembly);
        var pipeline = WeightsCarrier.Create(ml, id, blob)
            .Append(ml.Transforms.CustomMapping(new ToyScaleFactory().GetMapping(), ToyScaleFactory.Contract));
        ITransformer model = pipeline.Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-carrier-{Guid.NewGuid():N}.zip");
        try
        {
            model.Transform(data).GetColumn<float>("Y").Should().Equal(3f, 7.5f, -12f);
            ModelBlobCache.Contains(id).Should().BeTrue();
            ml.Model.Save(model, data.Schema, path);
            new FileInfo(path).Length.Should().BeGreaterThan(1000, "the weights are stored in the zip");

            // Forget the built model: the loaded chain must rebuild it from the zip alone.
            ModelBlobCache.Remove(id);
            ToyScaleFactory.Loads = 0;
            var fresh = new MLContext(seed: 2);
            ITransformer loaded = fresh.Model.Load(path, out DataViewSchema schema);
            loaded.Transform(data).GetColumn<float>("Y").Should().Equal(3f, 7.5f, -12f);
            ToyScaleFactory.Loads.Should().Be(1, "the blob is deserialized once per process, not per row");

            var engine = fresh.Model.CreatePredictionEngine<ToyInput, ToyOutput>(loaded, inputSchema: schema);
            engine.Predict(new ToyInput { X = 10f }).Y.Should().Be(30f);
            ToyScaleFactory.Loads.Should().Be(1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ACorruptBlobIsDetected()
    {
        byte[] blob = { 1, 2, 3 };
        string id = ModelBlobCache.ComputeId("toy", blob);

        Action load = () => ModelBlobCache.GetOrLoad<object>(id, new byte[] { 1, 2, 4 }, _ => new object());

        load.Should().Throw<InvalidDataException>().WithMessage("*corrupt*");
    }

    [Fact]
    public void MissingWeightsAreAClearError()
    {
        Action load = () => ModelBlobCache.GetOrLoad<object>("toy-0000", ReadOnlyMemory<byte>.Empty, _ => new object());

        load.Should().Throw<InvalidOperationException>().WithMessage("*'toy-0000' are not loaded*");
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

    public override Action<ToyComputeInput, ToyComputeOutput> GetMapping() => (input, output) =>
    {
        float scale = ModelBlobCache.GetOrLoad(input.ModelId, input.Weights, bytes =>
        {
            Interlocked.Increment(ref Loads);
            return new StrongBox<float>(BitConverter.ToSingle(bytes, 0));
        }).Value;
        output.Y = input.X * scale;
    };
}

public sealed class StrongBox<T>
{
    public StrongBox(T value) => Value = value;

    public T Value { get; }
}
