using System.Security.Cryptography;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// Process-wide cache of deserialized models, keyed by a content hash of their weight blob, so that every loaded copy of
/// the same model file shares one built network. A saved ML.NET chain carries the blob inside the zip (see
/// <see cref="WeightsCarrier"/>); each loaded chain checks the blob it carries against the id once and then holds the
/// cached model for as long as the chain lives (see <see cref="CarriedModel{T}"/>).
/// </summary>
/// <remarks>
/// <para>A model id is a hash of the exact weights, so a cached entry can never be stale; entries live until
/// <see cref="Remove"/>.</para>
/// <para><see cref="Remove"/> never disposes a model that a loaded chain still holds, so it is safe while predictions run:
/// the cache forgets the model at once (a chain loaded later rebuilds it from its zip), and a model still held is released
/// with the last chain that holds it, when the garbage collector reclaims them. A model no chain holds is disposed at
/// once.</para>
/// </remarks>
public static class ModelBlobCache
{
    private static readonly object Sync = new();
    private static readonly Dictionary<string, Entry> Models = new(StringComparer.Ordinal);

    // Models the cache forgot while loaded chains still held them, weakly: a step that serves such a chain's rows without
    // being its paired compute step (block serving) finds the model its chain checked, instead of failing.
    private static readonly Dictionary<string, WeakReference<object>> StillHeld = new(StringComparer.Ordinal);

    /// <summary>An id for a blob: <paramref name="kind"/> plus the first 128 bits of its SHA-256, as hex.</summary>
    public static string ComputeId(string kind, ReadOnlySpan<byte> blob) =>
        kind + "-" + Convert.ToHexString(SHA256.HashData(blob).AsSpan(0, 16)).ToLowerInvariant();

    /// <summary>Whether the model with this id is built and cached in this process.</summary>
    public static bool Contains(string id)
    {
        lock (Sync)
        {
            return Models.TryGetValue(id, out Entry? entry) && entry.Model is not null;
        }
    }

    /// <summary>Registers an already-built model (e.g. right after training) so that no process-local rebuild is needed.</summary>
    public static void Add(string id, object model)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(model);
        lock (Sync)
        {
            if (!Models.ContainsKey(id))
            {
                Models[id] = new Entry(id) { Model = model };
            }
        }
    }

    /// <summary>
    /// Forgets a cached model. It is disposed (when disposable) at once if no loaded chain holds it; otherwise the chains
    /// that hold it keep serving it, and it is released with them.
    /// </summary>
    public static void Remove(string id)
    {
        Entry? unheld = null;
        lock (Sync)
        {
            if (Models.Remove(id, out Entry? entry))
            {
                if (entry.Holds == 0)
                {
                    unheld = entry;
                }
                else if (entry.Model is { } held)
                {
                    StillHeld[id] = new WeakReference<object>(held);
                }
            }
        }

        unheld?.DisposeModel();
    }

    /// <summary>Forgets every cached model, as a new process would (tests use it to prove loading needs only the zip).</summary>
    internal static void Clear()
    {
        string[] ids;
        lock (Sync)
        {
            ids = Models.Keys.ToArray();
        }

        foreach (string id in ids)
        {
            Remove(id);
        }
    }

    /// <summary>
    /// Takes a hold on the model <paramref name="id"/>, building it from <paramref name="verifiedBlob"/> (whose hash the
    /// caller has checked) on first use. Lookup and hold are one step, so a concurrent <see cref="Remove"/> either comes
    /// before (and the model is rebuilt) or after (and leaves the held model alone).
    /// </summary>
    internal static Entry Hold(string id, byte[] verifiedBlob, Func<byte[], object> load)
    {
        Entry entry;
        lock (Sync)
        {
            if (!Models.TryGetValue(id, out entry!))
            {
                entry = new Entry(id);
                Models[id] = entry;
            }

            entry.Holds++;
        }

        try
        {
            entry.EnsureBuilt(verifiedBlob, load);
            return entry;
        }
        catch
        {
            lock (Sync)
            {
                entry.Holds--;
                if (entry.Model is null && entry.Holds == 0 && Models.TryGetValue(id, out Entry? current) && current == entry)
                {
                    Models.Remove(id); // a failed build leaves no entry behind, so a later load tries again
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Holds the cached model <paramref name="id"/> if it is built, or one the cache forgot while a loaded chain still
    /// holds it; false when neither exists.
    /// </summary>
    internal static bool TryHold(string id, out Entry entry)
    {
        lock (Sync)
        {
            if (Models.TryGetValue(id, out entry!) && entry.Model is not null)
            {
                entry.Holds++;
                return true;
            }

            if (StillHeld.TryGetValue(id, out WeakReference<object>? weak))
            {
                if (weak.TryGetTarget(out object? model))
                {
                    entry = new Entry(id) { Model = model, Holds = 1 };
                    return true;
                }

                StillHeld.Remove(id);
            }
        }

        return false;
    }

    /// <summary>One cached model and how many loaded chains hold it.</summary>
    internal sealed class Entry
    {
        private readonly object _build = new();

        public Entry(string id) => Id = id;

        public string Id { get; }

        /// <summary>The built model; null until built, and after disposal.</summary>
        public object? Model { get; set; }

        /// <summary>Loaded chains holding the model (guarded by the cache's lock).</summary>
        public int Holds { get; set; }

        public void EnsureBuilt(byte[] blob, Func<byte[], object> load)
        {
            lock (_build)
            {
                // One build per entry: parallel first rows of several loaded chains wait for it instead of each building a copy.
                Model ??= load(blob);
            }
        }

        public void DisposeModel()
        {
            lock (_build)
            {
                (Model as IDisposable)?.Dispose();
                Model = null;
            }
        }
    }
}
