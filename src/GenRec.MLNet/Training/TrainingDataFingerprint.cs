using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Training;

/// <summary>
/// A SHA-256 over everything a training run reads, so a checkpoint folder can tell whether it was written for the same
/// data (see <see cref="TorchTrainerOptions.CheckpointDirectory"/>). Each added part is framed by a type tag and its
/// length, so different splits of the same numbers never hash alike.
/// </summary>
public sealed class TrainingDataFingerprint
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _value;

    /// <summary>Adds a number.</summary>
    public TrainingDataFingerprint Add(long value) => Frame('n', 1, MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref value)));

    /// <summary>Adds a vector of integers (null and empty are different).</summary>
    public TrainingDataFingerprint Add(ReadOnlySpan<int> values) => Frame('i', values.Length, MemoryMarshal.AsBytes(values));

    /// <summary>Adds a vector of floats, bit for bit.</summary>
    public TrainingDataFingerprint Add(ReadOnlySpan<float> values) => Frame('f', values.Length, MemoryMarshal.AsBytes(values));

    /// <summary>Adds a list of integer rows (e.g. per-user sequences), keeping the row boundaries.</summary>
    public TrainingDataFingerprint Add(IReadOnlyList<int[]>? rows)
    {
        if (rows is null)
        {
            return Frame('0', 0, default);
        }

        Frame('r', rows.Count, default);
        foreach (int[] row in rows)
        {
            Add(row ?? Array.Empty<int>());
        }

        return this;
    }

    /// <summary>Adds validation cases: user, history and targets of each.</summary>
    public TrainingDataFingerprint Add(IReadOnlyList<EvaluationCase>? cases)
    {
        if (cases is null)
        {
            return Frame('0', 0, default);
        }

        Frame('c', cases.Count, default);
        foreach (EvaluationCase c in cases)
        {
            Add(c.UserIndex).Add(c.History).Add(c.Targets);
        }

        return this;
    }

    /// <summary>Adds a semantic-ID table: codebook sizes and every code.</summary>
    public TrainingDataFingerprint Add(SemanticIdTable? codes)
    {
        if (codes is null)
        {
            return Frame('0', 0, default);
        }

        return Frame('s', codes.ItemCount, default).Add(codes.CodebookSizes.ToArray()).Add(codes.AllCodes);
    }

    /// <summary>The hash as lowercase hex; no part can be added after this is read.</summary>
    public override string ToString()
    {
        _value ??= Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();
        return _value;
    }

    private TrainingDataFingerprint Frame(char tag, long length, ReadOnlySpan<byte> bytes)
    {
        if (_value is not null)
        {
            throw new InvalidOperationException("The fingerprint is already computed; add every part before reading it.");
        }

        Span<byte> header = stackalloc byte[10];
        header[0] = (byte)tag;
        header[1] = 0;
        BitConverter.TryWriteBytes(header[2..], length);
        _hash.AppendData(header);
        _hash.AppendData(bytes);
        return this;
    }
}
