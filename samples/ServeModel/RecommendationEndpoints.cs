namespace GenRec.Samples.ServeModel;

/// <summary>
/// The HTTP surface: GET /model describes the model; GET /recommend/{userId}?top=K serves a known user from the history
/// stored in the model (404 for a user it does not know); POST /recommend serves a history the request brings.
/// Bad input (top out of range, an empty history, unknown item IDs) is a 400 problem response naming what is wrong.
/// </summary>
public static class RecommendationEndpoints
{
    public static void MapRecommendationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/model", (RecommendationService service) => Results.Ok(service.Describe()));

        app.MapGet("/recommend/{userId}", (string userId, int? top, RecommendationService service) =>
        {
            int count = top ?? service.MaxTop;
            if (TopError(count, service) is { } error)
            {
                return error;
            }

            if (!service.IsKnownUser(userId))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user",
                    detail: $"User '{userId}' is not in the model. POST /recommend with the user's item history instead.");
            }

            return Results.Ok(new RecommendationResponse(userId, null, service.RecommendForUser(userId, count)));
        });

        app.MapPost("/recommend", (HistoryRequest? request, RecommendationService service) =>
        {
            if (!service.AcceptsHistory)
            {
                return BadRequest("This model was trained without a prediction-history column, so it can only serve known users " +
                                  "(GET /recommend/{userId}). Train it with GenerativeRecommenderOptions.PredictionHistoryColumnName set.");
            }

            string[]? history = request?.History;
            if (history is null || history.Length == 0)
            {
                return BadRequest("'history' must list at least one item ID, oldest first.");
            }

            int count = request!.Top ?? service.MaxTop;
            if (TopError(count, service) is { } error)
            {
                return error;
            }

            IReadOnlyList<string> unknown = service.UnknownItems(history);
            if (unknown.Count > 0)
            {
                return BadRequest($"'history' names item IDs the model does not know: {string.Join(", ", unknown.Take(10).Select(id => $"'{id}'"))}.");
            }

            return Results.Ok(new RecommendationResponse(null, history, service.RecommendForHistory(history, count)));
        });
    }

    private static IResult? TopError(int top, RecommendationService service) =>
        top < 1 || top > service.MaxTop
            ? BadRequest($"'top' must be between 1 and {service.MaxTop} (the number of items the model returns), not {top}.")
            : null;

    private static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
}
