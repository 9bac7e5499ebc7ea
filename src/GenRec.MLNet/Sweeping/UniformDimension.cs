using System.Globalization;

namespace GenRec.MLNet.Sweeping;

/// <summary>A real-valued option drawn uniformly from [min, max], or uniformly in log space (log-uniform).</summary>
internal sealed class UniformDimension : SearchDimension
{
    private readonly double _min;
    private readonly double _max;
    private readonly bool _logScale;

    public UniformDimension(OptionMember member, double min, double max, bool logScale)
        : base(member)
    {
        CheckRange(member.Path, min, max, logScale);
        _min = min;
        _max = max;
        _logScale = logScale;
    }

    public override object Sample(Random random)
    {
        double u = random.NextDouble();
        double value = _logScale
            ? Math.Exp(Math.Log(_min) + (u * (Math.Log(_max) - Math.Log(_min))))
            : _min + (u * (_max - _min));

        // exp(log(x)) can land a rounding error outside the declared range.
        return Math.Clamp(value, _min, _max);
    }

    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Member.Path} in [{_min:G4}, {_max:G4}]{(_logScale ? " (log scale)" : string.Empty)}");

    /// <summary>Shared by the integer dimension: a range must be finite, ordered and, on a log scale, positive.</summary>
    internal static void CheckRange(string path, double min, double max, bool logScale)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"The range of '{path}' must be finite; got [{min}, {max}].");
        }

        if (min > max)
        {
            throw new ArgumentException($"The range of '{path}' is empty: min {min} is greater than max {max}.");
        }

        if (logScale && min <= 0)
        {
            throw new ArgumentException($"The log-scale range of '{path}' must be positive; got min {min}.");
        }
    }
}
