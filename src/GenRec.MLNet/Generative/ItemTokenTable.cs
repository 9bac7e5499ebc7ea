using GenRec.MLNet.Nn;
using GenRec.MLNet.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Item → code tokens as a device tensor [items + 1, L] (row 0 = PAD tokens for padding slots; item i is row
/// i + 1), so a whole batch of histories becomes tokens with one index_select on the device instead of a
/// per-token loop on the CPU. Owned outside the network because adding items changes it but not the weights.
/// </summary>
internal sealed class ItemTokenTable : IDisposable
{
    private readonly GenerativeVocabulary _vocabulary;
    private readonly Tensor _levelOffsets;

    public ItemTokenTable(SemanticIdTable codes, GenerativeVocabulary vocabulary, Device device)
    {
        _vocabulary = vocabulary;
        int levels = vocabulary.Levels;
        _levelOffsets = tensor(Enumerable.Range(0, levels).Select(l => (long)vocabulary.LevelOffset(l)).ToArray(), device: device).DetachFromDisposeScope();
        Device = device;
        Tokens = Build(codes).DetachFromDisposeScope();
    }

    /// <summary>[items + 1, L] code tokens.</summary>
    public Tensor Tokens { get; private set; }

    public Device Device { get; }

    /// <summary>Tokens of item ids shifted by one (0 = padding): any shape [...] → [..., L].</summary>
    public Tensor Lookup(Tensor shiftedItems)
    {
        using var scope = NewDisposeScope();
        long[] shape = shiftedItems.shape.Append(_vocabulary.Levels).ToArray();
        return Tokens.index_select(0, shiftedItems.reshape(-1)).view(shape).MoveToOuterDisposeScope();
    }

    /// <summary>Per-level codes (0..size−1) of code tokens [..., L].</summary>
    public Tensor ToCodes(Tensor tokens) => tokens.Minus(_levelOffsets);

    /// <summary>Replaces the table after items were added.</summary>
    public void Rebuild(SemanticIdTable codes)
    {
        Tensor replacement = Build(codes).DetachFromDisposeScope();
        Tokens.Dispose();
        Tokens = replacement;
    }

    public void Dispose()
    {
        Tokens.Dispose();
        _levelOffsets.Dispose();
    }

    private Tensor Build(SemanticIdTable codes)
    {
        int levels = _vocabulary.Levels;
        var rows = new long[(codes.ItemCount + 1) * levels];
        ReadOnlySpan<int> all = codes.AllCodes;
        for (int item = 0; item < codes.ItemCount; item++)
        {
            for (int level = 0; level < levels; level++)
            {
                rows[((item + 1) * levels) + level] = _vocabulary.CodeToken(level, all[(item * levels) + level]);
            }
        }

        return tensor(rows, device: Device).view(codes.ItemCount + 1, levels);
    }
}
