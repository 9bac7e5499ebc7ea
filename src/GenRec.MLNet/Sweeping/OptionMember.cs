using System.Linq.Expressions;
using System.Reflection;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// A settable field or property reached from the options root through a chain of members, e.g.
/// <c>o =&gt; o.Tokenizer.RqVae.CodebookSize</c>. Built from an expression so that a renamed option is a compile error,
/// not a silently ignored string.
/// </summary>
internal sealed class OptionMember
{
    private readonly MemberInfo[] _chain;

    private OptionMember(MemberInfo[] chain, string path)
    {
        _chain = chain;
        Path = path;
    }

    /// <summary>The dotted member path from the root, e.g. <c>Tokenizer.RqVae.CodebookSize</c>; the parameter's name.</summary>
    public string Path { get; }

    /// <summary>Reads the chain out of <paramref name="expression"/>; anything but plain member accesses is rejected.</summary>
    public static OptionMember From(LambdaExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var chain = new List<MemberInfo>();
        Expression? node = expression.Body;
        while (node is MemberExpression member)
        {
            chain.Add(member.Member);
            node = member.Expression;
        }

        if (chain.Count == 0 || node != expression.Parameters[0])
        {
            throw new ArgumentException(
                $"The search space member '{expression}' must be a chain of fields or properties of the options, such as o => o.Recommender.LearningRate.",
                nameof(expression));
        }

        chain.Reverse();
        string path = string.Join('.', chain.Select(m => m.Name));
        for (int i = 0; i < chain.Count; i++)
        {
            Type type = MemberType(chain[i]);
            bool last = i == chain.Count - 1;
            if (!last && type.IsValueType)
            {
                throw new ArgumentException($"The search space member '{path}' passes through '{chain[i].Name}', a value type; only class-typed options can be walked into.", nameof(expression));
            }

            if (last && !CanWrite(chain[i]))
            {
                throw new ArgumentException($"The search space member '{path}' cannot be set: '{chain[i].Name}' is read-only.", nameof(expression));
            }
        }

        return new OptionMember([.. chain], path);
    }

    /// <summary>Sets the member on <paramref name="root"/>; an intermediate null object is an error naming it.</summary>
    public void Set(object root, object? value)
    {
        object target = root;
        for (int i = 0; i < _chain.Length - 1; i++)
        {
            target = GetValue(_chain[i], target)
                ?? throw new InvalidOperationException(
                    $"Cannot set '{Path}': '{string.Join('.', _chain.Take(i + 1).Select(m => m.Name))}' is null in the options the search space's defaults factory returned.");
        }

        switch (_chain[^1])
        {
            case FieldInfo field:
                field.SetValue(target, value);
                break;
            case PropertyInfo property:
                property.SetValue(target, value);
                break;
        }
    }

    /// <summary>Reads the member's current value from <paramref name="root"/> (null when a link of the chain is null).</summary>
    public object? Get(object root)
    {
        object? target = root;
        foreach (MemberInfo member in _chain)
        {
            if (target is null)
            {
                return null;
            }

            target = GetValue(member, target);
        }

        return target;
    }

    private static object? GetValue(MemberInfo member, object target) => member switch
    {
        FieldInfo field => field.GetValue(target),
        PropertyInfo property => property.GetValue(target),
        _ => throw new InvalidOperationException($"'{member.Name}' is neither a field nor a property."),
    };

    private static Type MemberType(MemberInfo member) => member switch
    {
        FieldInfo field => field.FieldType,
        PropertyInfo property => property.PropertyType,
        _ => throw new ArgumentException($"'{member.Name}' is neither a field nor a property."),
    };

    private static bool CanWrite(MemberInfo member) => member switch
    {
        FieldInfo field => !field.IsInitOnly && !field.IsLiteral,
        PropertyInfo property => property.SetMethod is { IsPublic: true },
        _ => false,
    };
}
