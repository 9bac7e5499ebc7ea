using System.Reflection;
using GenRec.MLNet.Training;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// Hands a trial's cancellation token to every <see cref="TorchTrainerOptions"/> inside its options, so that a
/// training loop stops at the next step when the sweep's time budget runs out or the caller cancels, instead of the
/// sweep waiting for the trial to finish.
/// </summary>
internal static class TrialCancellation
{
    private const int MaxDepth = 6;

    public static void Attach(object options, CancellationToken token) =>
        Walk(options, token, new HashSet<object>(ReferenceEqualityComparer.Instance), [typeof(TrialCancellation).Assembly, options.GetType().Assembly], 0);

    private static void Walk(object node, CancellationToken token, HashSet<object> seen, Assembly[] assemblies, int depth)
    {
        if (depth > MaxDepth || !seen.Add(node))
        {
            return;
        }

        if (node is TorchTrainerOptions trainer)
        {
            trainer.CancellationToken = token;
        }

        Type type = node.GetType();
        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            Visit(field.GetValue(node));
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true })
            {
                Visit(property.GetValue(node));
            }
        }

        // Only option objects of the library or of the caller's options assembly are walked into: never strings,
        // arrays, delegates or framework objects.
        void Visit(object? child)
        {
            if (child is not null && child.GetType().IsClass && assemblies.Contains(child.GetType().Assembly))
            {
                Walk(child, token, seen, assemblies, depth + 1);
            }
        }
    }
}
