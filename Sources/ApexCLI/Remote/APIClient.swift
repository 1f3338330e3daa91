import ApexDSL
import ApexLLM
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP API of an `apex serve` (docs/server.md), as the commands of client mode use it
/// (`apex --server URL …`, docs/cli.md, "Using a server"): JSON in and out over the process's
/// one pooled HTTP client (``HTTPTransport``), with the token and namespace of the settings.
///
/// Every answer that is not a success becomes an ``APIError``: the server could not be reached,
/// refused the token, or answered a problem document (RFC 9457) that the command reads.
struct APIClient: Sendable {
    /// The server's URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    let base: String
    /// Sent as `Authorization: Bearer TOKEN` when set (`APEX_TOKEN`).
    let token: String?
    /// Sent as `X-Apex-Namespace` when set (`--namespace`, `APEX_NAMESPACE`); without it the
    /// server uses the token's namespace, else `default`.
    let namespace: String?

    /// The largest JSON answer read (a run's detail with its step outputs, a page of history).
    static let answerLimit = 64 << 20

    /// A success's status and body.
    struct Reply: Sendable {
        var status: Int
        var body: JSONValue
    }

    /// `GET path`: the body of a 2xx answer.
    func get(_ path: String) async throws -> JSONValue {
        try await send(.GET, path, body: nil).body
    }

    /// `POST path` with `body` as JSON (or nothing), returning the 2xx answer.
    func post(_ path: String, _ body: JSONValue?) async throws -> Reply {
        try await send(.POST, path, body: body.map { ByteBuffer(string: $0.compactJSON) })
    }

    /// `POST path` with `text` as the body, as it is (a signal's payload).
    func post(_ path: String, text: String) async throws -> Reply {
        try await send(.POST, path, body: ByteBuffer(string: text))
    }

    /// Opens a Server-Sent Events stream at `path` and returns its body as it streams (after
    /// a 2xx head; a problem otherwise).
    func stream(_ path: String, lastEventID: Int?) async throws -> HTTPClientResponse.Body {
        var request = request(.GET, path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
        let response = try await execute(request)
        guard (200..<300).contains(response.status.code) else { throw try await failure(response) }
        return response.body
    }

    /// `segment` escaped for a URL path (run ids and signal names come from the command line).
    static func escape(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    private func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer?) async throws -> Reply {
        var request = request(method, path)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let response = try await execute(request)
        guard (200..<300).contains(response.status.code) else { throw try await failure(response) }
        let bytes = try await collect(response.body)
        let text = String(buffer: bytes)
        guard !text.isEmpty else { return Reply(status: Int(response.status.code), body: .null) }
        do {
            return Reply(status: Int(response.status.code), body: try JSONValue(parsing: text))
        } catch {
            throw APIError.unexpected(server: base, "\(method) \(path) answered \(response.status.code) with a body that is not JSON")
        }
    }

    private func request(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "apex/\(ApexCommand.version)")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let namespace { request.headers.add(name: "X-Apex-Namespace", value: namespace) }
        return request
    }

    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do { return try await HTTPTransport.shared.send(request) } catch {
            throw APIError.unreachable(server: base, reason: error.description)
        }
    }

    private func collect(_ body: HTTPClientResponse.Body) async throws -> ByteBuffer {
        do { return try await HTTPTransport.collect(body, limit: Self.answerLimit) } catch {
            throw APIError.unreachable(server: base, reason: error.description)
        }
    }

    /// The error of a non-2xx answer: its problem document when it has one.
    private func failure(_ response: HTTPClientResponse) async throws -> APIError {
        let status = Int(response.status.code)
        let text = String(buffer: try await collect(response.body))
        let document = try? JSONValue(parsing: text)
        guard let document, let type = document["type"]?.stringValue, let title = document["title"]?.stringValue else {
            return .unexpected(server: base, "it answered \(status) \(response.status.reasonPhrase), not a problem document: is it an apex server?")
        }
        let problem = APIProblem(status: status, slug: type.components(separatedBy: "/").last ?? type, title: title,
                                 detail: document["detail"]?.stringValue ?? title, document: document)
        if status == 401 || status == 403 { return .refused(problem, tokenGiven: token != nil) }
        return .problem(problem)
    }
}

/// A problem document (RFC 9457) a server answered.
struct APIProblem: Sendable {
    var status: Int
    /// The last part of `type` (`not-found`, `run-finished`, `invalid-workflow`, …).
    var slug: String
    var title: String
    var detail: String
    /// The whole document, with members of its own (`diagnostics`, `errors`).
    var document: JSONValue

    /// Whether it says the run named in the path does not exist.
    var isUnknownRun: Bool { status == 404 && detail.hasPrefix("no run with id ") }
}

/// Why a request to the server failed. Commands answer the problems they expect (an unknown
/// run, a finished run, a rejected signal) as their local counterparts do; the rest is printed
/// by ``ApexCommand/status(for:console:)`` as one line with exit status 2, as a store that
/// cannot be used is.
enum APIError: Error, CustomStringConvertible {
    /// No connection, or it broke before the answer was complete.
    case unreachable(server: String, reason: String)
    /// 401 or 403: the token is missing, invalid, or not allowed this.
    case refused(APIProblem, tokenGiven: Bool)
    /// Any other problem document.
    case problem(APIProblem)
    /// An answer that is not what an apex server gives.
    case unexpected(server: String, String)

    var description: String {
        switch self {
        case .unreachable(let server, let reason): "cannot reach the server at \(server): \(reason)"
        case .refused(let problem, let tokenGiven):
            tokenGiven ? "the server refused the token (\(problem.status) \(problem.title)): \(problem.detail)"
                : "the server refused the request (\(problem.status) \(problem.title)): \(problem.detail); set APEX_TOKEN to a token it accepts"
        case .problem(let problem): "the server answered \(problem.status) \(problem.title): \(problem.detail)"
        case .unexpected(let server, let what): "unexpected answer from the server at \(server): \(what)"
        }
    }
}

extension APIClient {
    /// The path of a run's resource: `/v1/runs/{id}` and what follows it.
    static func runPath(_ runID: String, _ rest: String = "") -> String {
        "/v1/runs/\(escape(runID))\(rest)"
    }

    /// A run's stored events after seq `after`, a page (of up to 1,000) at a time, in order
    /// (`GET /v1/runs/{id}/history`).
    func history(runID: String, after: Int = 0, _ page: ([JSONValue]) throws -> Void) async throws {
        var after = after
        while true {
            let answer = try await get(Self.runPath(runID, "/history?after=\(after)&limit=1000"))
            try page(answer["events"]?.arrayValue ?? [])
            guard case .int(let next)? = answer["next_after"], next > after else { return }
            after = next
        }
    }
}

extension APIError {
    /// Whether the server said that the run named in the path does not exist.
    var isUnknownRun: Bool {
        if case .problem(let problem) = self { problem.isUnknownRun } else { false }
    }
}
