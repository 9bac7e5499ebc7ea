using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// Process-wide cache of deserialized models, keyed by a content hash of their weight blob. A saved ML.NET
/// chain carries the blob inside the zip (see <see cref="WeightsCarrier"/>); the first row a process maps
/// builds the model from it, every later row (and every later load of the same model) reuses the cached one.
/// </summary>
/// <remarks>
/// Entries live for the life of the process: a model id is a hash of the exact weights, so a cached entry
/// can never be stale, and evicting one between the "do I need the weights?" step and the compute step
/// of a row would make that row fail. Call <see cref="Remove"/> to release a model explicitly.
/// </remarks>
public static class ModelBlobCache
{
    private static readonly ConcurrentDictionary<string, Lazy<object>> Models = new(StringComparer.Ordinal);

    /// <summary>An id for a blob: <paramref name="kind"/> plus the first 128 bits of its SHA-256, as hex.</summary>
    public static string ComputeId(string kind, ReadOnlySpan<byte> blob) =>
        kind + "-" + Convert.ToHexString(SHA256.HashData(blob).AsSpan(0, 16)).ToLowerInvariant();

    /// <summary>Whether the model with this id is already built in this process.</summary>
    public static bool Contains(string id) => Models.TryGetValue(id, out Lazy<object>? entry) && entry.IsValueCreated;

    /// <summary>Registers an already-built model (e.g. right after training) so no process-local rebuild is needed.</summary>
    public static void Add(string id, object model) => Models.TryAdd(id, new Lazy<object>(() => model));

    /// <summary>
    /// The cached model for <paramref name="id"/>, built from <paramref name="blob"/> by <paramref name="load"/> on first use.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not cached and no weights were supplied.</exception>
    public static T GetOrLoad<T>(string id, ReadOnlyMemory<byte> blob, Func<byte[], T> load)
        where T : class
    {
        if (Models.TryGetValue(id, out Lazy<object>? cached))
        {
            return (T)cached.Value;
        }

        if (blob.IsEmpty)
        {
            throw new InvalidOperationException(
                $"The weights of model '{id}' are not loaded in this process and the row carried none. " +
                "Load the model with mlContext.Model.Load from its zip so the weights travel with it.");
        }

        byte[] bytes = blob.ToArray();
        string actual = ComputeId(id[..id.LastIndexOf('-')], bytes);
        if (actual != id)
        {
            throw new InvalidDataException($"The weights carried for model '{id}' hash to '{actual}': the model file is corrupt.");
        }

        Lazy<object> entry = Models.GetOrAdd(id, _ => new Lazy<object>(() => load(bytes), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)entry.Value;
    }

    /// <summary>Forgets every cached model, as a new process would (tests use it to prove loading needs only the zip).</summary>
    internal static void Clear()
    {
        foreach (string id in Models.Keys.ToArray())
        {
            Remove(id);
        }
    }

    /// <summary>Forgets a cached model (disposing it when it is disposable).</summary>
    public static void Remove(string id)
    {
        if (Models.TryRemove(id, out Lazy<object>? entry) && entry.IsValueCreated && entry.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
