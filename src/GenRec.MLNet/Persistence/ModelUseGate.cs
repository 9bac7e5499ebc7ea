namespace GenRec.MLNet.Persistence;

/// <summary>
/// Lets any number of threads use a model at once while keeping its native weights alive under them: scoring calls
/// enter as readers (they share nothing mutable: eval mode, no gradients, their own tensors), while what changes the
/// model or frees it waits for the calls in flight and holds later ones off. After <see cref="Close"/> every use
/// throws <see cref="ObjectDisposedException"/> instead of reading freed tensors (which crashes the process).
/// </summary>
internal sealed class ModelUseGate
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly string _modelName;
    private bool _closed;

    /// <param name="modelName">What the model is, for the disposal message ("generative model", "SASRec model", ...).</param>
    public ModelUseGate(string modelName) => _modelName = modelName;

    /// <summary>Enters a shared use (a scoring call); dispose the token to leave.</summary>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public Token EnterUse()
    {
        _lock.EnterReadLock();
        if (_closed)
        {
            _lock.ExitReadLock();
            throw new ObjectDisposedException(_modelName,
                $"The {_modelName} was disposed (its transformer was disposed or its cached copy unloaded); load the model again to keep scoring.");
        }

        return new Token(_lock, exclusive: false);
    }

    /// <summary>Enters an exclusive change (no use runs meanwhile); dispose the token to leave.</summary>
    /// <param name="refusal">The message when the model is already disposed.</param>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public Token EnterChange(string refusal)
    {
        _lock.EnterWriteLock();
        if (_closed)
        {
            _lock.ExitWriteLock();
            throw new ObjectDisposedException(_modelName, refusal);
        }

        return new Token(_lock, exclusive: true);
    }

    /// <summary>Waits for the uses in flight, then runs <paramref name="free"/> once; later calls do nothing.</summary>
    public void Close(Action free)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            free();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Holds the gate until disposed.</summary>
    public readonly struct Token : IDisposable
    {
        private readonly ReaderWriterLockSlim _lock;
        private readonly bool _exclusive;

        internal Token(ReaderWriterLockSlim gate, bool exclusive)
        {
            _lock = gate;
            _exclusive = exclusive;
        }

        public void Dispose()
        {
            if (_exclusive)
            {
                _lock.ExitWriteLock();
            }
            else
            {
                _lock.ExitReadLock();
            }
        }
    }
}
