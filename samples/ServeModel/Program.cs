// ServeModel: serves a saved GenRec.MLNet model zip over HTTP with ASP.NET Core minimal APIs.
//
//   dotnet run --project samples/QuickStart                     (writes quickstart-output/model.zip and items.tsv)
//   dotnet run --project samples/ServeModel -- --GenRec:ModelPath=quickstart-output/model.zip --GenRec:ItemTitlesPath=quickstart-output/items.tsv
//   curl http://localhost:5000/recommend/user_0000?top=5
//   curl -X POST http://localhost:5000/recommend -H 'Content-Type: application/json' -d '{"history":["item_0001","item_0002"],"top":5}'
//
// Endpoints (RecommendationEndpoints): GET /model, GET /recommend/{userId}?top=K, POST /recommend {history, top}.
// The model is loaded once at start (RecommendationService); each request borrows a PredictionEngine from a pool,
// because one engine must not serve two requests at once and building one per request would be wasteful.
using GenRec.Samples.ServeModel;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<ServeModelOptions>().Bind(builder.Configuration.GetSection(ServeModelOptions.Section));
builder.Services.AddSingleton<RecommendationService>();
builder.Services.AddProblemDetails();

var app = builder.Build();
// Load the model before the first request, so a wrong path stops the app at start with a message naming the setting.
var service = app.Services.GetRequiredService<RecommendationService>();
app.Logger.LogInformation("Serving {Model}", service.Describe());
app.MapRecommendationEndpoints();
app.Run();

/// <summary>The app's entry point, public so that tests can start it in-process (WebApplicationFactory&lt;Program&gt;).</summary>
public partial class Program;
