namespace GenRec.MLNet.Sweeping;

/// <summary>One swept option: where it lives in the options and how a value for it is drawn.</summary>
internal abstract class SearchDimension
{
    protected SearchDimension(OptionMember member) => Member = member;

    /// <summary>The option this dimension sets.</summary>
    public OptionMember Member { get; }

    /// <summary>Draws one value from <paramref name="random"/>; exactly one draw per call keeps sampling reproducible.</summary>
    public abstract object? Sample(Random random);

    /// <summary>The range or choices, for logs and error messages.</summary>
    public abstract string Describe();
}
