namespace GenRec.MLNet.Persistence;

/// <summary>
/// How a compute mapping gets the model that a <see cref="WeightsCarrier"/> carries in the same chain. Each loaded chain
/// checks its own zip once: its first rows carry the weight bytes, whose hash must equal the model id, and only then is
/// the model taken from <see cref="ModelBlobCache"/> (or built from those bytes) and held for the chain's lifetime.
/// Later rows carry no bytes and are served from the held model. So whether a file loads never depends on what the
/// process loaded before: a zip whose weights were replaced, damaged or left out fails on every load, even when a model
/// with its id is already cached.
/// </summary>
/// <typeparam name="T">The model type the blob deserializes to.</typeparam>
/// <remarks>
/// Create it in the compute factory's <c>GetMapping</c>, and build the compute mapping right after
/// <see cref="WeightsCarrier.Create"/>: the carrier's request step and this compute step are paired by creation order
/// on one thread (ML.NET builds and loads a chain's transforms in order). A pairing that cannot be made only costs speed,
/// never correctness: rows then carry and check the bytes every time.
/// </remarks>
internal sealed class CarriedModel<T>
    where T : class
{
    private readonly CarrierLink _link;
    private readonly Func<byte[], object> _load;

    private CarriedModel(CarrierLink link, Func<byte[], T> load)
    {
        _link = link;
        _load = bytes => load(bytes);
    }

    /// <summary>The compute side of the carrier created last on this thread; call from the compute factory's <c>GetMapping</c>.</summary>
    /// <param name="load">Builds the model from its blob (only for a model not cached yet).</param>
    public static CarriedModel<T> ForComputeStep(Func<byte[], T> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return new CarriedModel<T>(CarrierLink.Claim(), load);
    }

    /// <summary>
    /// A resolver of its own for a step that serves the carrier's rows without being its paired compute step (a cursor
    /// that reads blocks of rows ahead): it checks the first bytes it is given against the id, and with no bytes falls
    /// back to a model this process already has.
    /// </summary>
    public static CarriedModel<T> Unpaired(Func<byte[], T> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return new CarriedModel<T>(CarrierLink.Unpaired(), load);
    }

    /// <summary>Whether <paramref name="modelId"/> is resolved already, so rows need not bring its bytes.</summary>
    public bool Holds(string modelId) => !_link.NeedsWeights(modelId);

    /// <summary>The model for a row's id and carried bytes (empty once this chain has checked them).</summary>
    /// <exception cref="InvalidDataException">The carried bytes do not hash to the id, cannot be loaded, or are missing.</exception>
    public T Resolve(string modelId, byte[] weights) => (T)_link.Resolve(modelId, weights ?? Array.Empty<byte>(), _load);
}

/// <summary>
/// The state one loaded carrier shares between its weights-request step and its compute step: whether the chain's
/// weights have been checked (and the model they hold), or why they failed.
/// </summary>
internal sealed class CarrierLink
{
    [ThreadStatic]
    private static CarrierLink? t_unclaimed;

    private readonly bool _paired;
    private Held? _held;
    private Failure? _failure;

    private CarrierLink(bool paired) => _paired = paired;

    /// <summary>The link of a new request step; the next compute step created on this thread claims it.</summary>
    public static CarrierLink ForRequestStep() => t_unclaimed = new CarrierLink(paired: true);

    /// <summary>A link no request step asks through (see <see cref="CarriedModel{T}.Unpaired"/>).</summary>
    public static CarrierLink Unpaired() => new(paired: false);

    /// <summary>The link left by the last request step on this thread, or an unpaired one.</summary>
    public static CarrierLink Claim()
    {
        CarrierLink? link = t_unclaimed;
        t_unclaimed = null;
        return link ?? new CarrierLink(paired: false);
    }

    /// <summary>Whether a row must carry the weights: until this chain's compute step has checked them.</summary>
    public bool NeedsWeights(string modelId) => Volatile.Read(ref _held) is not { } held || held.Id != modelId;

    public object Resolve(string modelId, byte[] weights, Func<byte[], object> load)
    {
        if (Volatile.Read(ref _held) is { } held && held.Id == modelId)
        {
            return held.Model;
        }

        if (Volatile.Read(ref _failure) is { } failure && failure.Id == modelId)
        {
            throw new InvalidDataException(failure.Error.Message, failure.Error);
        }

        if (weights.Length == 0)
        {
            // A paired request step asks for the bytes until they are checked, so an empty row here means the zip has none.
            // An unpaired step cannot tell, and falls back to a model this process already has.
            if (!_paired && ModelBlobCache.TryHold(modelId, out ModelBlobCache.Entry cached))
            {
                return Keep(modelId, cached);
            }

            if (!_paired)
            {
                throw new InvalidOperationException(
                    $"The weights of model '{modelId}' are not loaded in this process and the row carried none. Load the model with mlContext.Model.Load from its zip so the weights travel with it.");
            }

            throw Remember(modelId, new InvalidDataException(
                $"The model file carries no weights for model '{modelId}': it is incomplete or was altered. Save the model again."));
        }

        int dash = modelId.LastIndexOf('-');
        string actual = dash > 0 ? ModelBlobCache.ComputeId(modelId[..dash], weights) : "(no kind)";
        if (actual != modelId)
        {
            throw Remember(modelId, new InvalidDataException(
                $"The weights carried for model '{modelId}' hash to '{actual}': the model file is corrupt or its weights were replaced."));
        }

        ModelBlobCache.Entry entry;
        try
        {
            entry = ModelBlobCache.Hold(modelId, weights, load);
        }
        catch (InvalidDataException ex)
        {
            throw Remember(modelId, ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Remember(modelId, new InvalidDataException($"The weights of model '{modelId}' could not be loaded: {ex.Message}", ex));
        }

        return Keep(modelId, entry);
    }

    private object Keep(string modelId, ModelBlobCache.Entry entry)
    {
        object model = entry.Model ?? throw new InvalidOperationException($"Model '{modelId}' was disposed while held.");
        Interlocked.CompareExchange(ref _held, new Held(modelId, model), null);
        return model;
    }

    // A file that failed its check fails every later row the same way, instead of being rebuilt (or hashed) per row.
    private InvalidDataException Remember(string modelId, InvalidDataException error)
    {
        Interlocked.CompareExchange(ref _failure, new Failure(modelId, error), null);
        return error;
    }

    private sealed record Held(string Id, object Model);

    private sealed record Failure(string Id, InvalidDataException Error);
}
