using Microsoft.ML.Data;

namespace GenRec.Cli.Input;

/// <summary>The ML.NET schema of <see cref="InteractionRow"/> that every model reads, at training and at prediction alike.</summary>
public static class InteractionSchema
{
    /// <summary>A new definition: <c>User</c>, <c>Item</c> (text), <c>Timestamp</c> (Double), <c>History</c> (variable-length text vector).</summary>
    public static SchemaDefinition Create()
    {
        var definition = SchemaDefinition.Create(typeof(InteractionRow));
        // A prediction row's history has any length; training rows bring an empty one.
        definition[nameof(InteractionRow.History)].ColumnType = new VectorDataViewType(TextDataViewType.Instance);
        return definition;
    }
}
