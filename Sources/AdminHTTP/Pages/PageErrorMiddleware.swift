import Hummingbird

/// Errors of the pages as pages: a claim the user may not see, an entry that does not
/// exist, a body too large… are answered with an HTML page in the user's language (with
/// the same status), not the API's problem JSON. Server faults still go to the frame
/// middleware, which logs them and answers without details.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let kit: PageKit

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(presenting: error)
            guard problem.status.code < 500 else { throw error }
            let language = PageKit.language(request)
            return kit.page("error", [
                "title": ProblemText.title(problem.status, language),
                "heading": ProblemText.title(problem.status, language),
                "message": ProblemText.message(problem, language),
            ], request, user: await kit.signedIn(request), status: problem.status)
        }
    }
}
