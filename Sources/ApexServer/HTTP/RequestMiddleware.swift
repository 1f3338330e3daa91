import ApexDSL
import Foundation
import Hummingbird
import Logging

/// Every request: an id (`X-Request-Id`, taken from the request when it has a sane one), the
/// caller and namespace (401 without a valid token when auth is on, 403 for another
/// namespace than the token's), then a log line and the HTTP metrics. Errors that are not
/// problems become a 500 with no detail; the log line has what happened.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let state: ServerState
    let methods: RouteMethodsBox

    /// Paths that need no token: probes, the API's description, the web UI's files (the page
    /// asks for a token and sends it with its API calls), and signed webhooks (their
    /// signature is their credential).
    static func isPublic(_ path: String) -> Bool {
        path == "/healthz" || path == "/readyz" || path == "/openapi.json" || UIRoutes.files[path] != nil || path.hasPrefix("/v1/hooks/")
    }

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        let began = ContinuousClock.now
        let given = request.headers[.requestID].flatMap { $0.count <= 64 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } ? $0 : nil }
        context.requestID = given ?? UUID().uuidString.lowercased()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response: Response
        do {
            try await identify(request, &context)
            response = try await next(request, context)
        } catch {
            response = try respond(to: error, request: request, context: context)
        }
        response.headers[.requestID] = context.requestID
        let route = context.endpointPath ?? "unmatched"
        let seconds = began.duration(to: .now)
        let elapsed = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
        state.metrics.request(route: route, method: request.method.rawValue, status: response.status.code, seconds: elapsed)
        var metadata: Logger.Metadata = ["route": .string(route), "ms": .string(String(Double(Int(elapsed * 100_000)) / 100))]
        if let runID = Self.runID(inPath: request.uri.path) { metadata["run_id"] = .string(runID) }
        context.logger.info("\(request.method) \(request.uri.path) \(response.status.code)", metadata: metadata)
        return response
    }

    /// Sets the caller and the namespace, or throws the 400/401/403 problem.
    private func identify(_ request: Request, _ context: inout APIContext) async throws {
        // Browsers cannot set a header on an EventSource: they name the namespace in the query.
        let query = request.uri.queryParameters.get("namespace").map { String($0) }
        let header = request.headers[.apexNamespace] ?? query
        if let header, let problem = ScopeName.problem(header) {
            let source = request.headers[.apexNamespace] == nil ? "the namespace query parameter" : "X-Apex-Namespace"
            throw Problem.badRequest("\(source) \"\(header)\" is not a namespace name: \(problem)")
        }
        guard state.auth.isEnabled, !Self.isPublic(request.uri.path) else {
            context.namespace = header ?? Namespace.defaultName
            return
        }
        let token = Self.bearer(request.headers[.authorization]) ?? request.uri.queryParameters.get("access_token").map { String($0) }
        switch await state.auth.authenticate(bearer: token) {
        case .failure(let failure):
            throw Problem(.unauthorized, "unauthorized", "Unauthorized", detail: failure.description,
                          headers: [.wwwAuthenticate: failure.wwwAuthenticate])
        case .success(let principal):
            if let header, header != principal.namespace {
                throw Problem.forbidden("the token is for namespace \(principal.namespace), not \(header)")
            }
            context.principal = principal
            context.namespace = principal.namespace
        }
    }

    /// The run a path names (`/v1/runs/{id}/…`, `/v1/hooks/{namespace}/runs/{id}/…`), for log lines.
    static func runID(inPath path: String) -> String? {
        let segments = path.split(separator: "/")
        guard let runs = segments.firstIndex(of: "runs"), runs + 1 < segments.count else { return nil }
        return String(segments[runs + 1])
    }

    /// The token of an `Authorization: Bearer …` header.
    static func bearer(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    private func respond(to error: any Error, request: Request, context: APIContext) throws -> Response {
        if let problem = Problem.from(error) { return try problem.response(from: request, context: context) }
        if let http = error as? HTTPError, http.status == .notFound {
            let allowed = methods.allowed(for: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                let allow = (allowed.contains("GET") ? allowed + ["HEAD"] : allowed).joined(separator: ", ")
                return try Problem(.methodNotAllowed, "method-not-allowed", "Method not allowed",
                                   detail: "\(request.uri.path) answers \(allow)", headers: [.allow: allow]).response(from: request, context: context)
            }
        }
        if let http = error as? HTTPError {
            let problem = Problem(http.status, http.status == .notFound ? "not-found" : "http-\(http.status.code)", http.status.reasonPhrase,
                                  detail: http.body)
            return try problem.response(from: request, context: context)
        }
        context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
        return try Problem(.internalServerError, "internal", "Internal server error",
                           detail: "see the server's log for request \(context.requestID)").response(from: request, context: context)
    }
}
