using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// Carries a TorchSharp model's weights inside an ML.NET model zip using public ML.NET transforms only:
/// <list type="number">
/// <item>a marker mapping yields a constant float column;</item>
/// <item><c>Expression</c> turns it into the constant model-id column (the id is part of the saved expression);</item>
/// <item>a request mapping outputs the id only until this loaded chain has checked its weights;</item>
/// <item><c>MapValue</c> looks the request up in a one-row table id → weight bytes, stored inside the zip.</item>
/// </list>
/// The model's own compute mapping resolves the model through <see cref="CarriedModel{T}"/>: on the chain's first row
/// it checks the carried bytes against the id, then holds the model from <see cref="ModelBlobCache"/> (built from those
/// bytes if the process has none) for the chain's lifetime. After <c>mlContext.Model.Load</c> in a fresh process the
/// same chain rebuilds the model from the zip: no side files. Build the compute mapping right after
/// <see cref="Create"/> (see <see cref="CarriedModel{T}"/>).
/// </summary>
public static class WeightsCarrier
{
    /// <summary>Column holding the model id.</summary>
    public const string ModelIdColumnName = "__GenRecModelId";

    /// <summary>Column holding the weight bytes (empty once the model is built in this process).</summary>
    public const string WeightsColumnName = "__GenRecModelWeights";

    internal const string MarkerColumnName = "__GenRecMarker";
    internal const string WeightsRequestColumnName = "__GenRecWeightsRequest";
    internal const string MarkerContract = "GenRec.Marker.v1";
    internal const string WeightsRequestContract = "GenRec.WeightsRequest.v1";

    /// <summary>
    /// The estimator chain that adds <see cref="ModelIdColumnName"/> and <see cref="WeightsColumnName"/> to any input.
    /// </summary>
    public static IEstimator<ITransformer> Create(MLContext mlContext, string modelId, byte[] weights)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(weights);
        if (modelId.Contains('"') || modelId.Contains('\\'))
        {
            throw new ArgumentException("A model id may not contain quotes or backslashes (it is embedded in an expression).", nameof(modelId));
        }

        RegisterContracts(mlContext);
        var schema = SchemaDefinition.Create(typeof(WeightRow));
        // Variable-length, so rows that need no weights (empty lookups) and rows that do share one column type.
        schema[nameof(WeightRow.Weights)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte);
        IDataView table = mlContext.Data.LoadFromEnumerable(new[] { new WeightRow { Id = modelId, Weights = weights } }, schema);

        return mlContext.Transforms.CustomMapping(new MarkerMappingFactory().GetMapping(), MarkerContract)
            .Append(mlContext.Transforms.Expression(ModelIdColumnName, $"x => \"{modelId}\"", MarkerColumnName))
            .Append(mlContext.Transforms.CustomMapping(new WeightsRequestMappingFactory().GetMapping(), WeightsRequestContract))
            .Append(mlContext.Transforms.Conversion.MapValue(WeightsColumnName, table, table.Schema[nameof(WeightRow.Id)], table.Schema[nameof(WeightRow.Weights)], WeightsRequestColumnName))
            .Append(mlContext.Transforms.DropColumns(MarkerColumnName, WeightsRequestColumnName));
    }

    /// <summary>Makes ML.NET aware of this assembly's custom-mapping contracts (idempotent).</summary>
    public static void RegisterContracts(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(WeightsCarrier).Assembly);
    }

    private sealed class WeightRow
    {
        public string Id = "";
        public byte[] Weights = Array.Empty<byte>();
    }
}
