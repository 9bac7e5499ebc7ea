using GenRec.MLNet.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>Checks of the retrieval trainer's and loader's inputs, with messages that name the argument and the bad row.</summary>
internal static class RetrievalInputs
{
    /// <summary>Checks the row-major CF item embeddings and returns the number of items.</summary>
    public static int CheckEmbeddings(float[] embeddings, int dimension)
    {
        ArgumentNullException.ThrowIfNull(embeddings, "cfItemEmbeddings");
        return CheckRows(embeddings, dimension, "cfItemEmbeddings", "item");
    }

    /// <summary>Checks that the code tables the options need are present and cover the users and items.</summary>
    public static void CheckCodes(SemanticIdTable? userCodes, SemanticIdTable? itemCodes, GenerativeRetrievalOptions options, int userCount, int itemCount)
    {
        if (options.UseUserTokens)
        {
            if (userCodes is null)
            {
                throw new ArgumentNullException(nameof(userCodes), "UseUserTokens is true, so a user code table (e.g. MaskedKWayModel.Codes trained on CF user embeddings) is required.");
            }

            if (userCodes.ItemCount < userCount)
            {
                throw new ArgumentException(
                    $"The user code table covers {userCodes.ItemCount} users but there are {userCount}; every user needs codes (encode the missing users with the user tokenizer).", nameof(userCodes));
            }
        }

        if (options.UseHistoryTokens && itemCodes is null)
        {
            throw new ArgumentNullException(nameof(itemCodes), "UseHistoryTokens is true, so an item code table (e.g. MaskedKWayModel.Codes trained on CF item embeddings) is required.");
        }

        if (itemCodes is not null && itemCodes.ItemCount != itemCount)
        {
            throw new ArgumentException(
                $"The item code table has {itemCodes.ItemCount} items but the CF item embeddings have {itemCount} rows; both must describe the same catalog in the same order.", nameof(itemCodes));
        }
    }

    /// <summary>
    /// Checks the CF user embeddings the user-code decoder is fitted to and returns how many users it is fitted on
    /// (those with both an embedding and codes).
    /// </summary>
    public static int CheckUserEmbeddings(float[]? embeddings, int dimension, int trainUsers, int codedUsers)
    {
        const string name = "cfUserEmbeddings";
        if (embeddings is null)
        {
            throw new ArgumentNullException(name, "UseUserCodeAnchor is true, so the CF user embeddings (the decoder's training target, e.g. the collaborative stage's UserEmbedding) are required.");
        }

        int rows = CheckRows(embeddings, dimension, name, "user");
        if (rows < trainUsers)
        {
            throw new ArgumentException($"The CF user embeddings cover {rows} users but there are {trainUsers}; every user needs an embedding.", name);
        }

        return Math.Min(rows, codedUsers);
    }

    /// <summary>Checks row-major CF embeddings of <paramref name="entity"/>s (whole rows, finite values) and returns the row count.</summary>
    private static int CheckRows(float[] embeddings, int dimension, string name, string entity)
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException("cfDimension", dimension, "cfDimension must be at least 1.");
        }

        if (embeddings.Length == 0)
        {
            throw new ArgumentException($"No CF {entity} embeddings: the array is empty.", name);
        }

        if (embeddings.Length % dimension != 0)
        {
            throw new ArgumentException(
                $"Dimension mismatch: {embeddings.Length} values are not a whole number of rows of cfDimension = {dimension}.", name);
        }

        for (int i = 0; i < embeddings.Length; i++)
        {
            if (!float.IsFinite(embeddings[i]))
            {
                throw new ArgumentException(
                    $"Row {i / dimension} of the CF {entity} embeddings has a {(float.IsNaN(embeddings[i]) ? "NaN" : "infinite")} value at feature {i % dimension}; the CF model that produced them diverged or was not trained.", name);
            }
        }

        return embeddings.Length / dimension;
    }

    /// <summary>Checks the per-user training sets against the catalog.</summary>
    public static void CheckTrainSets(IReadOnlyList<int[]> trainSets, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(trainSets);
        for (int user = 0; user < trainSets.Count; user++)
        {
            int[] items = trainSets[user] ?? throw new ArgumentException($"trainSets[{user}] is null; use an empty array for a user without training items.", nameof(trainSets));
            foreach (int item in items)
            {
                if ((uint)item >= (uint)itemCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(trainSets), $"User {user} has item index {item}, outside 0..{itemCount - 1} (the rows of the CF item embeddings).");
                }
            }
        }
    }

    /// <summary>
    /// The CF item embeddings as the rows [items, dimension] a request vector is multiplied with on
    /// <paramref name="device"/>: unit length for <see cref="RetrievalSimilarity.Cosine"/>, so cosine is one matrix
    /// product; as given for <see cref="RetrievalSimilarity.DotProduct"/>.
    /// </summary>
    public static Tensor ScoringItems(float[] embeddings, int itemCount, int dimension, RetrievalSimilarity similarity, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor rows = tensor(embeddings, new long[] { itemCount, dimension }, device: device);
        return (similarity == RetrievalSimilarity.Cosine ? nn.functional.normalize(rows, p: 2, dim: -1) : rows).MoveToOuterDisposeScope();
    }

    /// <summary>Request vectors [rows, D] as they enter the product with <see cref="ScoringItems"/>: unit length for cosine.</summary>
    public static Tensor ScoringRequests(Tensor vectors, RetrievalSimilarity similarity) =>
        similarity == RetrievalSimilarity.Cosine ? nn.functional.normalize(vectors, p: 2, dim: -1) : vectors.alias();
}
