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
/// too), and the scalar operands are disposed only after the call returns. Use these on hot paths.
/// </remarks>
internal static class TensorArithmetic
{
    private static readonly Scalar One = 1;

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
}
