using System.Globalization;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// An integer option drawn from min..max inclusive: every value equally likely, or (log scale) each value's chance
/// proportional to the log-width of [value, value + 1), so small values are tried as often per decade as large ones.
/// </summary>
internal sealed class IntegerDimension : SearchDimension
{
    private readonly int _min;
    private readonly int _max;
    private readonly bool _logScale;

    public IntegerDimension(OptionMember member, int min, int max, bool logScale)
        : base(member)
    {
        UniformDimension.CheckRange(member.Path, min, max, logScale);
        _min = min;
        _max = max;
        _logScale = logScale;
    }

    public override object Sample(Random random)
    {
        double u = random.NextDouble();
        double value = _logScale
            ? Math.Exp(Math.Log(_min) + (u * (Math.Log(_max + 1.0) - Math.Log(_min))))
            : _min + (u * (_max - _min + 1.0));
        return (int)Math.Clamp(Math.Floor(value), _min, _max);
    }

    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Member.Path} in {_min}..{_max}{(_logScale ? " (log scale)" : string.Empty)}");
}
