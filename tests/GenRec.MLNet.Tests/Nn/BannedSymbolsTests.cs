using System.Reflection;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Nn;

/// <summary>
/// The library's build bans TorchSharp's scalar-building APIs (src/GenRec.MLNet/BannedSymbols.txt, RS0030). The analyzer
/// silently ignores an entry that names no symbol, so a typo or a renamed overload in a TorchSharp upgrade would quietly
/// lift a ban: every entry must name a real TorchSharp member.
/// </summary>
public sealed class BannedSymbolsTests
{
    [Fact]
    public void EveryBannedEntryNamesARealTorchSharpMember()
    {
        string[] entries = File.ReadAllLines(BannedSymbolsPath())
            .Where(line => line.StartsWith("M:", StringComparison.Ordinal))
            .Select(line => line.Split(';')[0])
            .ToArray();
        HashSet<string> members = LoadableTypes(typeof(torch).Assembly)
            .Where(t => t.IsPublic || t.IsNestedPublic)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(DocumentationId)
            .ToHashSet(StringComparer.Ordinal);

        entries.Should().HaveCountGreaterThan(80);
        entries.Should().Contain("M:TorchSharp.Scalar.op_Implicit(System.Double)~TorchSharp.Scalar", "the root of the race: any number turned into a Scalar");
        entries.Should().Contain("M:TorchSharp.torch.Tensor.op_Multiply(TorchSharp.torch.Tensor,System.Double)");
        entries.Where(id => !members.Contains(id)).Should().BeEmpty("each entry must resolve, or the analyzer ignores it");
    }

    // The C# documentation-ID form the analyzer resolves: nested types joined by '.', generic arguments in braces,
    // conversion operators suffixed with ~ and their return type.
    private static string DocumentationId(MethodInfo method)
    {
        ParameterInfo[] parameters = method.GetParameters();
        string id = "M:" + TypeName(method.DeclaringType!) + "." + method.Name
            + (method.IsGenericMethodDefinition ? "``" + method.GetGenericArguments().Length : "")
            + (parameters.Length > 0 ? "(" + string.Join(",", parameters.Select(p => TypeName(p.ParameterType))) + ")" : "");
        return method.Name is "op_Implicit" or "op_Explicit" ? id + "~" + TypeName(method.ReturnType) : id;
    }

    private static string TypeName(Type type)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!) + "@";
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        if (type.IsGenericType)
        {
            string definition = type.GetGenericTypeDefinition().FullName!;
            return definition[..definition.IndexOf('`')].Replace('+', '.') + "{" + string.Join(",", type.GetGenericArguments().Select(TypeName)) + "}";
        }

        return type.FullName!.Replace('+', '.');
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>(); // TorchSharp types whose optional dependencies are absent are not needed here
        }
    }

    private static string BannedSymbolsPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "src", "GenRec.MLNet", "BannedSymbols.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("src/GenRec.MLNet/BannedSymbols.txt was not found above the test assembly.");
    }
}
