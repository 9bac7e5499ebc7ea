using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace GenRec.Samples.ServeModel;

/// <summary>Builds prediction engines over one loaded model for the pool; every engine is fit for reuse after a request.</summary>
internal sealed class PredictionEnginePolicy(MLContext ml, ITransformer model) : IPooledObjectPolicy<PredictionEngine<ServeInput, ServeOutput>>
{
    public PredictionEngine<ServeInput, ServeOutput> Create() => ml.Model.CreatePredictionEngine<ServeInput, ServeOutput>(model);

    // An engine holds no per-request state once Predict has returned, so it can always go back to the pool.
    public bool Return(PredictionEngine<ServeInput, ServeOutput> engine) => true;
}
