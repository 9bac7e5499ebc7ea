// This file is the one place allowed to create TorchSharp Scalars and call the APIs that take them: BannedSymbols.txt
// bans them everywhere else (RS0030), because each helper here keeps its Scalar alive across the native call.
#pragma warning disable RS0030

using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// Tensor arithmetic that keeps its native scalar alive for the whole LibTorch call.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's operators (<c>a + b</c>, <c>a - b</c>, <c>a * 2.0</c>, <c>a / t</c>) create a temporary
/// <see cref="Scalar"/> (the alpha of add/sub, or the scalar operand) and pass only its native handle on. Nothing
/// references the managed Scalar during the native call, so a garbage collection in that window can run its finalizer,
/// which frees the native scalar while LibTorch reads it: "Expected false to be true ... toFloat at Scalar.h" from an
/// add, seen a few times an hour deep into long training runs with validation. Here alpha is a Scalar held in a static
/// field (never collected), also for tensor + scalar (TorchSharp's one-argument add(Scalar) builds a temporary alpha
/// too), and the scalar operands are disposed only after the call returns. The build enforces this: BannedSymbols.txt bans
/// TorchSharp's scalar operators, scalar conversions and alpha-building overloads in the whole library except this
/// file, so every tensor–scalar operation goes through one of these helpers.
/// </remarks>
internal static class TensorArithmetic
{
    private static readonly Scalar One = 1;
    private static readonly Scalar Zero = 0;

    /// <summary><paramref name="left"/> + <paramref name="right"/> (broadcasting).</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="left"/> − <paramref name="right"/> (broadcasting; TorchSharp's sub of two tensors passes no scalar).</summary>
    public static Tensor Minus(this Tensor left, Tensor right) => left.sub(right);

    /// <summary><paramref name="left"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor left, double value)
    {
        using Scalar scalar = value;
        return left.add(scalar, One); // add(scalar) alone would build a temporary alpha: the very race avoided here
    }

    /// <summary><paramref name="left"/> + <paramref name="value"/>; an integer scalar keeps integer tensors integer.</summary>
    public static Tensor Plus(this Tensor left, long value)
    {
        using Scalar scalar = value;
        return left.add(scalar, One); // add(scalar) alone would build a temporary alpha: the very race avoided here
    }

    /// <summary><paramref name="left"/> × <paramref name="value"/>; an integer scalar keeps integer tensors integer.</summary>
    public static Tensor Times(this Tensor left, long value)
    {
        using Scalar scalar = value;
        return left.mul(scalar);
    }

    /// <summary><paramref name="left"/> × <paramref name="value"/>.</summary>
    public static Tensor Times(this Tensor left, double value)
    {
        using Scalar scalar = value;
        return left.mul(scalar);
    }

    /// <summary><paramref name="left"/> ÷ <paramref name="value"/>.</summary>
    public static Tensor DividedBy(this Tensor left, double value)
    {
        using Scalar scalar = value;
        return left.div(scalar);
    }

    /// <summary><paramref name="left"/> − <paramref name="value"/>; an integer scalar keeps integer tensors integer.</summary>
    public static Tensor Minus(this Tensor left, long value)
    {
        using Scalar scalar = -value;
        return left.add(scalar, One); // as an add, so no temporary alpha is built
    }

    /// <summary><paramref name="left"/> ÷ <paramref name="value"/> for a tensor divisor.</summary>
    public static Tensor DividedBy(this Tensor left, Tensor value) => left.div(value);

    /// <summary>Integer division rounded toward −∞.</summary>
    public static Tensor FloorDividedBy(this Tensor left, long value)
    {
        using Scalar scalar = value;
        return left.div(scalar, rounding_mode: RoundingMode.floor);
    }

    /// <summary>Element-wise square.</summary>
    public static Tensor Squared(this Tensor value) => value.square();

    /// <summary>Clamps from above.</summary>
    public static Tensor AtMost(this Tensor value, long max)
    {
        using Scalar scalar = max;
        return value.clamp_max(scalar);
    }

    /// <summary>Clamps from below.</summary>
    public static Tensor AtLeast(this Tensor value, long min)
    {
        using Scalar scalar = min;
        return value.clamp_min(scalar);
    }

    /// <summary>Clamps from below (floating point).</summary>
    public static Tensor AtLeast(this Tensor value, double min)
    {
        using Scalar scalar = min;
        return value.clamp_min(scalar);
    }

    /// <summary>Element-wise <paramref name="value"/> ≥ <paramref name="threshold"/>.</summary>
    public static Tensor AtLeastMask(this Tensor value, long threshold)
    {
        using Scalar scalar = threshold;
        return value.ge(scalar);
    }

    /// <summary>In place: the entries of <paramref name="target"/> at <paramref name="index"/> along dim 0 become <paramref name="value"/>.</summary>
    public static Tensor FillAt(this Tensor target, Tensor index, double value)
    {
        using Scalar scalar = value;
        return target.index_fill_(0, index, scalar);
    }

    /// <summary>In place, for boolean tensors: the entries at <paramref name="index"/> become <paramref name="value"/>.</summary>
    public static Tensor FillAt(this Tensor target, Tensor index, bool value)
    {
        using Scalar scalar = value;
        return target.index_fill_(0, index, scalar);
    }

    /// <summary>In place, for integer tensors: the entries at <paramref name="index"/> become <paramref name="value"/>.</summary>
    public static Tensor FillAt(this Tensor target, Tensor index, long value)
    {
        using Scalar scalar = value;
        return target.index_fill_(0, index, scalar);
    }
    /// <summary><paramref name="left"/> − <paramref name="value"/>.</summary>
    public static Tensor Minus(this Tensor left, double value)
    {
        using Scalar scalar = -value;
        return left.add(scalar, One); // as an add, so no temporary alpha is built
    }

    /// <summary><paramref name="value"/> − <paramref name="right"/>, element-wise.</summary>
    public static Tensor SubtractedFrom(this Tensor right, double value)
    {
        using Scalar scalar = value;
        using Tensor negated = right.neg();
        return negated.add(scalar, One);
    }

    /// <summary>Element-wise <paramref name="value"/> &gt; <paramref name="threshold"/>.</summary>
    public static Tensor AboveMask(this Tensor value, long threshold)
    {
        using Scalar scalar = threshold;
        return value.gt(scalar);
    }

    /// <summary>Element-wise <paramref name="value"/> &lt; <paramref name="threshold"/>.</summary>
    public static Tensor BelowMask(this Tensor value, double threshold)
    {
        using Scalar scalar = threshold;
        return value.lt(scalar);
    }

    /// <summary>Element-wise <paramref name="value"/> = <paramref name="other"/>.</summary>
    public static Tensor EqualMask(this Tensor value, long other)
    {
        using Scalar scalar = other;
        return value.eq(scalar);
    }

    /// <summary>Element-wise <paramref name="value"/> ≠ <paramref name="other"/>.</summary>
    public static Tensor NotEqualMask(this Tensor value, long other)
    {
        using Scalar scalar = other;
        return value.ne(scalar);
    }

    /// <summary>A copy of <paramref name="target"/> whose entries where <paramref name="mask"/> is true become <paramref name="value"/>.</summary>
    public static Tensor FillWhere(this Tensor target, Tensor mask, double value)
    {
        using Scalar scalar = value;
        return target.masked_fill(mask, scalar);
    }

    /// <summary>In place: adds the rows of <paramref name="source"/> into the rows of <paramref name="target"/> named by <paramref name="index"/> (dim 0).</summary>
    public static Tensor AddRowsAt(this Tensor target, Tensor index, Tensor source) => target.index_add_(0, index, source, One);

    /// <summary>0, 1, …, <paramref name="count"/> − 1 as an Int64 tensor.</summary>
    public static Tensor Range(long count, Device? device = null)
    {
        using Scalar stop = count;
        return arange(Zero, stop, One, dtype: ScalarType.Int64, device: device); // the shorter overloads build a temporary start and step
    }

    /// <summary>An Int64 tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, long value, Device? device = null)
    {
        using Scalar scalar = value;
        return full(shape, scalar, dtype: ScalarType.Int64, device: device);
    }
}
