using System.Globalization;

namespace GenRec.MLNet.Sweeping;

/// <summary>The integer option successive halving raises rung by rung (epochs, typically).</summary>
internal sealed class BudgetDimension
{
    public BudgetDimension(OptionMember member, int min, int max)
    {
        if (min < 1)
        {
            throw new ArgumentException($"The budget '{member.Path}' must start at 1 or more; got min {min}.");
        }

        if (min > max)
        {
            throw new ArgumentException($"The budget '{member.Path}' is empty: min {min} is greater than max {max}.");
        }

        Member = member;
        Min = min;
        Max = max;
    }

    public OptionMember Member { get; }

    public int Min { get; }

    public int Max { get; }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Member.Path} (budget) from {Min} to {Max}");
}
