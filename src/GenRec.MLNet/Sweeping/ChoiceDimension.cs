namespace GenRec.MLNet.Sweeping;

/// <summary>An option that takes one of a fixed list of values, each equally likely.</summary>
internal sealed class ChoiceDimension : SearchDimension
{
    private readonly object?[] _values;

    public ChoiceDimension(OptionMember member, object?[] values)
        : base(member)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException($"The choice '{member.Path}' needs at least one value.");
        }

        _values = values;
    }

    public override object? Sample(Random random) => _values[random.Next(_values.Length)];

    public override string Describe() => $"{Member.Path} in {{{string.Join(", ", _values.Select(SweepFormatting.Value))}}}";
}
