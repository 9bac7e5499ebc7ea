using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Generative;

/// <summary>Input row of the compute step of a model trained with a user key column (TIGER's hashed user token).</summary>
public sealed class GenerativeRecommendUserInput
{
    /// <summary>Model id.</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>Weight bytes (only on a process's first row).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>History as raw item key values (1-based; 0 = unseen).</summary>
    [ColumnName(GenerativeRecommendMappingFactory.HistoryColumn)]
    public uint[] History = Array.Empty<uint>();

    /// <summary>The user's raw key value (1-based; 0 = a user the key mapping has not seen).</summary>
    [ColumnName(GenerativeRecommendUserMappingFactory.UserColumn)]
    public uint User;
}

/// <summary>
/// Serves one row of a model with user tokens. A separate contract from <see cref="GenerativeRecommendMappingFactory"/>
/// so that models saved without a user column keep loading unchanged. User key 0 (unseen) gets the reserved
/// unknown-user token; history keys are handled as in <see cref="GenerativeRecommendMappingFactory"/>.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class GenerativeRecommendUserMappingFactory : CustomMappingFactory<GenerativeRecommendUserInput, GenerativeRecommendOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.GenerativeRecommendUser.v1";

    internal const string UserColumn = "__GenRecUser";

    /// <inheritdoc />
    public override Action<GenerativeRecommendUserInput, GenerativeRecommendOutput> GetMapping()
    {
        var carried = CarriedModel<GenerativeRecommenderModel>.ForComputeStep(GenerativeModelBlob.Load);
        return (input, output) => GenerativeRecommendMappingFactory.Serve(
            carried.Resolve(input.ModelId, input.Weights), input.History, input.User == 0 ? -1 : (int)input.User - 1, output);
    }
}
