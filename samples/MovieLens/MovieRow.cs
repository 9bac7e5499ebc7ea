namespace GenRec.Samples.MovieLens;

/// <summary>One rating as an interaction row: who, which movie, when (the position in the user's history), and the movie's text.</summary>
public sealed class MovieRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }

    /// <summary>"Title (Year) | Genre1, Genre2": what the text vectorizer reads.</summary>
    public string Text { get; set; } = "";
}
