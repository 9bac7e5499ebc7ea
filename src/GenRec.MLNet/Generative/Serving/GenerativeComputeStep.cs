using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Generative.Serving;

/// <summary>
/// Which of the three generative compute steps (history rows, history rows with a user key, interaction rows) a
/// transform in a serving chain is, and so which internal columns a block of its rows is read from and which it adds.
/// Recognized by the custom mapping's row types, which is all a loaded zip tells about them.
/// </summary>
internal sealed class GenerativeComputeStep
{
    private GenerativeComputeStep(bool readsUser, bool interactionRows)
    {
        ReadsUser = readsUser;
        InteractionRows = interactionRows;
    }

    /// <summary>The row brings a user key column.</summary>
    public bool ReadsUser { get; }

    /// <summary>Interaction rows: a stored history, an optional own history, and an item whose score is added.</summary>
    public bool InteractionRows { get; }

    /// <summary>The step's input columns, by name.</summary>
    public IEnumerable<string> InputColumns
    {
        get
        {
            yield return WeightsCarrier.ModelIdColumnName;
            yield return WeightsCarrier.WeightsColumnName;
            yield return GenerativeRecommendMappingFactory.HistoryColumn;
            if (ReadsUser)
            {
                yield return GenerativeRecommendUserMappingFactory.UserColumn;
            }

            if (InteractionRows)
            {
                yield return GenerativeRecommendRowsMappingFactory.StoredHistoryColumn;
                yield return GenerativeRecommendRowsMappingFactory.ItemColumn;
            }
        }
    }

    /// <summary>The columns the step adds, with the types its custom mapping gives them (variable-length vectors for arrays).</summary>
    public IEnumerable<(string Name, DataViewType Type)> OutputColumns
    {
        get
        {
            yield return (GenerativeRecommendMappingFactory.ItemsOutputColumn, new VectorDataViewType(NumberDataViewType.UInt32));
            yield return (GenerativeRecommendMappingFactory.ScoresOutputColumn, new VectorDataViewType(NumberDataViewType.Single));
            if (InteractionRows)
            {
                yield return (GenerativeRecommendRowsMappingFactory.ScoreOutputColumn, NumberDataViewType.Single);
            }
        }
    }

    /// <summary>The compute step <paramref name="transformer"/> is, or null when it is not one.</summary>
    public static GenerativeComputeStep? Recognize(ITransformer transformer) => transformer switch
    {
        CustomMappingTransformer<GenerativeRecommendInput, GenerativeRecommendOutput> => new GenerativeComputeStep(readsUser: false, interactionRows: false),
        CustomMappingTransformer<GenerativeRecommendUserInput, GenerativeRecommendOutput> => new GenerativeComputeStep(readsUser: true, interactionRows: false),
        CustomMappingTransformer<GenerativeRecommendRowsInput, GenerativeRecommendRowsOutput> => new GenerativeComputeStep(readsUser: true, interactionRows: true),
        _ => null,
    };
}
