using System.Linq.Expressions;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// The hyperparameters a sweep may change, declared on the options' own fields and properties: real ranges (linear or
/// log scale), integer ranges, lists of choices, and an optional <em>budget</em> (such as a number of epochs) that
/// successive halving raises for the configurations it promotes. Every option not declared keeps the value the
/// defaults factory gives it.
/// </summary>
/// <remarks>
/// <para>
/// Each trial starts from a fresh <typeparamref name="TOptions"/> from the defaults factory and sets the sampled
/// values on it, so trials never share mutable option objects. Typical options are
/// <see cref="GenerativePipelineOptions"/> (the collaborative, tokenizer and recommender options of the one pipeline)
/// or any class of the caller's:
/// </para>
/// <code>
/// var space = new SearchSpace&lt;GenerativePipelineOptions&gt;(() =&gt; new GenerativePipelineOptions { ... })
///     .Uniform(o =&gt; o.Recommender.LearningRate, 1e-4, 1e-2, logScale: true)
///     .Choice(o =&gt; o.Tokenizer.RqVae.CodebookSize, 16, 32, 64)
///     .Integer(o =&gt; o.Recommender.DecoderLayers, 1, 3)
///     .Budget(o =&gt; o.Recommender.NumberOfEpochs, 2, 18);
/// </code>
/// <para>Mistakes fail where they are declared: an empty or reversed range, a non-positive log-scale range, an empty
/// choice, a member declared twice, or an expression that is not a chain of settable members.</para>
/// </remarks>
/// <typeparam name="TOptions">The options object a trial's pipeline is built from.</typeparam>
public sealed class SearchSpace<TOptions>
    where TOptions : class
{
    private readonly Func<TOptions> _defaults;
    private readonly List<SearchDimension> _dimensions = [];
    private BudgetDimension? _budget;

    /// <summary>A search space over options created by <paramref name="defaults"/> (called once per trial).</summary>
    /// <param name="defaults">Returns a new options object holding every value a trial does not sample.</param>
    public SearchSpace(Func<TOptions> defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        _defaults = defaults;
    }

    /// <summary>The names (member paths, e.g. <c>Recommender.LearningRate</c>) of the sampled options, in declaration order.</summary>
    public IReadOnlyList<string> ParameterNames => [.. _dimensions.Select(d => d.Member.Path)];

    /// <summary>The budget option's name, or null when none is declared.</summary>
    public string? BudgetName => _budget?.Member.Path;

    internal int? MinBudget => _budget?.Min;

    internal int? MaxBudget => _budget?.Max;

    /// <summary>A real-valued option drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="member">The option, e.g. <c>o =&gt; o.Recommender.LearningRate</c>.</param>
    /// <param name="min">Smallest value.</param>
    /// <param name="max">Largest value.</param>
    /// <param name="logScale">Draw uniformly in log space (for learning rates, weights); the range must then be positive.</param>
    public SearchSpace<TOptions> Uniform(Expression<Func<TOptions, double>> member, double min, double max, bool logScale = false) =>
        Add(new UniformDimension(OptionMember.From(member), min, max, logScale));

    /// <summary>An integer option drawn from <paramref name="min"/>..<paramref name="max"/> inclusive.</summary>
    /// <param name="member">The option, e.g. <c>o =&gt; o.Recommender.DecoderLayers</c>.</param>
    /// <param name="min">Smallest value.</param>
    /// <param name="max">Largest value.</param>
    /// <param name="logScale">Draw uniformly in log space (for sizes spanning decades); the range must then be positive.</param>
    public SearchSpace<TOptions> Integer(Expression<Func<TOptions, int>> member, int min, int max, bool logScale = false) =>
        Add(new IntegerDimension(OptionMember.From(member), min, max, logScale));

    /// <summary>An option that takes one of <paramref name="values"/>, each equally likely.</summary>
    /// <param name="member">The option, e.g. <c>o =&gt; o.Tokenizer.RqVae.CodebookSize</c>.</param>
    /// <param name="values">The candidate values (at least one).</param>
    public SearchSpace<TOptions> Choice<TValue>(Expression<Func<TOptions, TValue>> member, params TValue[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(new ChoiceDimension(OptionMember.From(member), [.. values.Cast<object?>()]));
    }

    /// <summary>
    /// The training budget (e.g. <c>o =&gt; o.Recommender.NumberOfEpochs</c>): successive halving trains first at
    /// <paramref name="min"/> and multiplies it by the reduction factor for the survivors, up to <paramref name="max"/>;
    /// random search always trains at <paramref name="max"/>. At most one budget per space.
    /// </summary>
    public SearchSpace<TOptions> Budget(Expression<Func<TOptions, int>> member, int min, int max)
    {
        if (_budget is not null)
        {
            throw new InvalidOperationException($"The search space already has the budget '{_budget.Member.Path}'; declare one budget only.");
        }

        var budget = new BudgetDimension(OptionMember.From(member), min, max);
        CheckNotDeclared(budget.Member.Path);
        _budget = budget;
        return this;
    }

    /// <summary>One line per sampled option with its range or choices, then the budget.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, _dimensions.Select(d => d.Describe()).Concat(_budget is null ? [] : [_budget.Describe()]));

    /// <summary>Draws one value per dimension, in declaration order, from <paramref name="random"/>.</summary>
    internal IReadOnlyDictionary<string, object?> Sample(Random random)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (SearchDimension dimension in _dimensions)
        {
            values[dimension.Member.Path] = dimension.Sample(random);
        }

        return values;
    }

    /// <summary>The defaults' own values of the swept options (the configuration a sweep may start from).</summary>
    internal IReadOnlyDictionary<string, object?> DefaultValues()
    {
        TOptions defaults = CreateDefaults();
        return _dimensions.ToDictionary(d => d.Member.Path, d => d.Member.Get(defaults), StringComparer.Ordinal);
    }

    /// <summary>Fresh options with <paramref name="values"/> applied and the budget set (when given).</summary>
    internal TOptions Create(IReadOnlyDictionary<string, object?> values, int? budget)
    {
        TOptions options = CreateDefaults();
        foreach (SearchDimension dimension in _dimensions)
        {
            dimension.Member.Set(options, values[dimension.Member.Path]);
        }

        if (budget is { } b && _budget is not null)
        {
            _budget.Member.Set(options, b);
        }

        return options;
    }

    /// <summary>The value the budget option has in the defaults (null without a budget dimension).</summary>
    internal int? DefaultBudget() => _budget is null ? null : (int?)_budget.Member.Get(CreateDefaults());

    private TOptions CreateDefaults() =>
        _defaults() ?? throw new InvalidOperationException($"The search space's defaults factory returned null instead of a {typeof(TOptions).Name}.");

    private SearchSpace<TOptions> Add(SearchDimension dimension)
    {
        CheckNotDeclared(dimension.Member.Path);
        _dimensions.Add(dimension);
        return this;
    }

    private void CheckNotDeclared(string path)
    {
        if (_dimensions.Any(d => d.Member.Path == path) || _budget?.Member.Path == path)
        {
            throw new ArgumentException($"The search space already declares '{path}'; each option may be swept once.");
        }
    }
}
