namespace GenRec.Cli.Training;

/// <summary>The recipes <c>genrec train --preset</c> offers.</summary>
public enum TrainingPreset
{
    /// <summary>The README pipeline's settings: MF-BPR, a 3 × 16 RQ-VAE, a small decoder-only recommender (minutes on a CPU).</summary>
    Small,

    /// <summary><c>GenRecPresets.Tiger()</c> over MF item embeddings.</summary>
    Tiger,

    /// <summary><c>GenRecPresets.Letter()</c> over SASRec item embeddings (content and collaborative signal).</summary>
    Letter,

    /// <summary><c>GenRecPresets.TokenRec()</c> over LightGCN user and item embeddings.</summary>
    TokenRec,
}
