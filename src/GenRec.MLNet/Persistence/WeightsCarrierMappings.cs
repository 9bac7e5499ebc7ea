using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Persistence;

/// <summary>Input of the marker mapping: no columns at all, so the marker works on any schema.</summary>
public sealed class NoColumns
{
}

/// <summary>Output of the marker mapping: a constant float column that ML.NET's Expression transform can read.</summary>
public sealed class MarkerColumn
{
    /// <summary>Always 0.</summary>
    [ColumnName(WeightsCarrier.MarkerColumnName)]
    public float Marker;
}

/// <summary>Input of the weights-request mapping: the model id.</summary>
public sealed class ModelIdColumn
{
    /// <summary>The model id (a content hash).</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";
}

/// <summary>Output of the weights-request mapping: the id when this process still needs the weights, else empty.</summary>
public sealed class WeightsRequestColumn
{
    /// <summary>The id to look the weights up by, or "" (no lookup: an empty vector).</summary>
    [ColumnName(WeightsCarrier.WeightsRequestColumnName)]
    public string WeightsRequest = "";
}

/// <summary>
/// Emits a constant column from no input. ML.NET's <c>Expression</c> transform needs a scalar input of a basic
/// type to produce the constant model-id column, and our inputs (key vectors) are not such types.
/// </summary>
[CustomMappingFactoryAttribute(WeightsCarrier.MarkerContract)]
public sealed class MarkerMappingFactory : CustomMappingFactory<NoColumns, MarkerColumn>
{
    /// <inheritdoc />
    public override Action<NoColumns, MarkerColumn> GetMapping() => static (_, output) => output.Marker = 0f;
}

/// <summary>
/// Asks for the weight blob only until this loaded chain's compute step has checked it against the model id (see
/// <see cref="CarriedModel{T}"/>), so the (large) blob is copied out of the model's lookup table once per loaded chain
/// instead of once per row — and is checked on every load, whatever the process has cached.
/// </summary>
[CustomMappingFactoryAttribute(WeightsCarrier.WeightsRequestContract)]
public sealed class WeightsRequestMappingFactory : CustomMappingFactory<ModelIdColumn, WeightsRequestColumn>
{
    /// <inheritdoc />
    public override Action<ModelIdColumn, WeightsRequestColumn> GetMapping()
    {
        CarrierLink link = CarrierLink.ForRequestStep();
        return (input, output) => output.WeightsRequest = link.NeedsWeights(input.ModelId) ? input.ModelId : "";
    }
}
