extern alias ServeModelApp;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using ServeModelApp::GenRec.Samples.ServeModel;
using Xunit;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// samples/ServeModel served in-process (WebApplicationFactory, the real ASP.NET Core pipeline over an in-memory
/// transport) on a zip trained and saved by the fixture: the JSON must be the loaded model's own answer.
/// </summary>
public sealed class ServeModelEndpointTests : IClassFixture<ServedModelFixture>
{
    private readonly ServedModelFixture _fixture;
    private readonly HttpClient _client;

    public ServeModelEndpointTests(ServedModelFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Factory.CreateClient();
    }

    [Fact]
    public async Task AKnownUserGetsTheLoadedModelsTopItemsWithTitlesAndDescendingScores()
    {
        for (int user = 0; user < 5; user++)
        {
            string userId = ServedModelFixture.Data.UserIds[user];
            RecommendationResponse response = (await _client.GetFromJsonAsync<RecommendationResponse>($"/recommend/{userId}?top=10"))!;
            ServeOutput expected = _fixture.Direct.Predict(new ServeInput { User = userId });

            response.User.Should().Be(userId);
            response.Items.Should().HaveCount(10);
            response.Items.Select(i => i.ItemId).Should().Equal(expected.RecommendedItemIds).And.BeSubsetOf(ServedModelFixture.Data.ItemIds).And.OnlyHaveUniqueItems();
            response.Items.Select(i => i.Score).Should().Equal(expected.Scores).And.BeInDescendingOrder();
            response.Items.Should().OnlyContain(i => i.Title == ServedModelFixture.Titles[ServedModelFixture.Data.ItemIds.ToList().IndexOf(i.ItemId)]);
        }
    }

    [Fact]
    public async Task TopCutsTheListWithoutReorderingIt()
    {
        string userId = ServedModelFixture.Data.UserIds[7];
        var ten = (await _client.GetFromJsonAsync<RecommendationResponse>($"/recommend/{userId}"))!;
        var three = (await _client.GetFromJsonAsync<RecommendationResponse>($"/recommend/{userId}?top=3"))!;
        ten.Items.Should().HaveCount(10, "without top the model's whole list (TopK = 10) comes back");
        three.Items.Should().Equal(ten.Items.Take(3));
    }

    [Fact]
    public async Task TheJsonUsesCamelCaseNames()
    {
        string json = await _client.GetStringAsync($"/recommend/{ServedModelFixture.Data.UserIds[0]}?top=1");
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement first = document.RootElement.GetProperty("items")[0];
        first.GetProperty("itemId").GetString().Should().BeOneOf(ServedModelFixture.Data.ItemIds);
        first.GetProperty("score").GetSingle().Should().BeNegative("scores are sums of code log-probabilities");
    }

    [Fact]
    public async Task AnUnknownUserIs404NamingTheUser()
    {
        HttpResponseMessage response = await _client.GetAsync("/recommend/nobody-like-this?top=5");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("nobody-like-this");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public async Task TopOutsideOneToTheModelsListLengthIs400(int top)
    {
        HttpResponseMessage response = await _client.GetAsync($"/recommend/{ServedModelFixture.Data.UserIds[0]}?top={top}");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'top' must be between 1 and 10");
    }

    [Fact]
    public async Task APostedHistoryGetsWhatTheModelAnswersForThatHistory()
    {
        string[] history = ServedModelFixture.HistoryOf(3).TakeLast(4).ToArray();
        HttpResponseMessage message = await _client.PostAsJsonAsync("/recommend", new HistoryRequest(history, 10));
        message.StatusCode.Should().Be(HttpStatusCode.OK);
        RecommendationResponse response = (await message.Content.ReadFromJsonAsync<RecommendationResponse>())!;
        ServeOutput expected = _fixture.Direct.Predict(new ServeInput { History = history });

        response.History.Should().Equal(history);
        response.Items.Select(i => i.ItemId).Should().Equal(expected.RecommendedItemIds).And.HaveCount(10).And.NotIntersectWith(history);
        response.Items.Select(i => i.Score).Should().Equal(expected.Scores).And.BeInDescendingOrder();

        // A different history gets a different answer: the request's history is what the model reads.
        string[] other = ServedModelFixture.HistoryOf(11).TakeLast(4).ToArray();
        var otherResponse = await (await _client.PostAsJsonAsync("/recommend", new HistoryRequest(other, 10))).Content.ReadFromJsonAsync<RecommendationResponse>();
        otherResponse!.Items.Select(i => i.ItemId).Should().Equal(_fixture.Direct.Predict(new ServeInput { History = other }).RecommendedItemIds);
        otherResponse.Items.Select(i => i.Score).Should().NotEqual(response.Items.Select(i => i.Score));
    }

    [Fact]
    public async Task BadHistoriesAre400NamingWhatIsWrong()
    {
        var empty = await _client.PostAsJsonAsync("/recommend", new HistoryRequest([], 5));
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).Should().Contain("'history' must list at least one item ID");

        string known = ServedModelFixture.Data.ItemIds[0];
        var unknown = await _client.PostAsJsonAsync("/recommend", new HistoryRequest([known, "no-such-item"], 5));
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        string detail = await unknown.Content.ReadAsStringAsync();
        detail.Should().Contain("'no-such-item'").And.NotContain($"'{known}'");

        var tooMany = await _client.PostAsJsonAsync("/recommend", new HistoryRequest([known], 50));
        tooMany.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var broken = await _client.PostAsync("/recommend", new StringContent("{\"history\": [", Encoding.UTF8, "application/json"));
        broken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ConcurrentRequestsGetTheSameAnswersAsOneAtATime()
    {
        // Each request borrows its own prediction engine; answers must not bleed between overlapping requests.
        string[] users = [.. ServedModelFixture.Data.UserIds.Take(8)];
        var sequential = new Dictionary<string, string>();
        foreach (string user in users)
        {
            sequential[user] = await _client.GetStringAsync($"/recommend/{user}");
        }

        string[] requests = [.. Enumerable.Range(0, 32).Select(i => users[i % users.Length])];
        string[] parallel = await Task.WhenAll(requests.Select(user => Task.Run(() => _client.GetStringAsync($"/recommend/{user}"))));
        parallel.Should().Equal(requests.Select(user => sequential[user]));
    }

    [Fact]
    public async Task TheModelEndpointDescribesWhatIsServed()
    {
        ModelDescription description = (await _client.GetFromJsonAsync<ModelDescription>("/model"))!;
        description.Users.Should().Be(ServedModelFixture.Data.UserCount);
        description.Items.Should().Be(ServedModelFixture.Data.ItemCount);
        description.MaxTop.Should().Be(10);
        description.AcceptsHistory.Should().BeTrue();
        description.HasTitles.Should().BeTrue();
        description.ModelPath.Should().Be(_fixture.ModelPath);
    }

    [Fact]
    public void AMissingModelStopsTheAppAtStartNamingTheSetting()
    {
        using var unset = ServedModelFixture.Serve(null, null);
        unset.Invoking(f => f.CreateClient()).Should().Throw<InvalidOperationException>().WithMessage("*GenRec:ModelPath*");

        string missing = Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}.zip");
        using var absent = ServedModelFixture.Serve(missing, null);
        absent.Invoking(f => f.CreateClient()).Should().Throw<FileNotFoundException>().WithMessage($"*{missing}*");
    }
}
