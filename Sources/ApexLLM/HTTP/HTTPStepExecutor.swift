import ApexCompiler
import ApexDSL
import ApexEngine
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Runs `http` steps (docs/language.md, "`http`"): evaluates the step's fields (with secrets, at
/// call time only), sends the request on the shared ``HTTPTransport``, and returns
/// `{status, headers, body}` (see ``HTTPResponseOutput``).
///
/// Every request carries `Idempotency-Key: <run>/<step>/<visit>` (the same on every attempt of a
/// visit, different on the next visit) and `User-Agent`, unless the step sets them. Redirects are
/// followed (up to 5) and TLS uses the system's trust store, as the transport does.
///
/// Errors (see ``HTTPStepFailure``) are scrubbed of every secret value; the response itself is
/// stored as received.
public struct HTTPStepExecutor: Sendable {
    /// The largest response body read: 8 MiB (`http.too_large` past it). The engine separately
    /// refuses outputs over 2 MiB, but a larger JSON body may still be small once decoded.
    public static let responseLimit = 8 * 1024 * 1024

    private let transport: HTTPTransport
    private let userAgent: String

    /// - Parameter userAgent: The `User-Agent` of requests that set none: `apex/<version>`.
    public init(transport: HTTPTransport = .shared, userAgent: String = "apex/0.1") {
        self.transport = transport
        self.userAgent = userAgent
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets) async -> ActivityResult {
        guard case .http(let call) = state.action else {
            return .failed(RunError(type: "http.invalid_request", message: "step \(state.stepID) is not an http step", details: ["retryable": false]), retryAfter: nil)
        }
        return await execute(call, request: request, secrets: secrets)
    }

    /// Makes `call` with the fields evaluated in `request`'s context (an agent's http tool).
    public func execute(_ call: HTTPCall, request: ActivityRequest, secrets: Secrets) async -> ActivityResult {
        do throws(HTTPStepFailure) {
            let prepared = try HTTPStepRequestBuilder.build(call, request: request, secrets: secrets)
            return .completed(output: try await send(prepared, idempotencyKey: request.idempotencyKey), usage: nil)
        } catch {
            // Scrubbed here too, so that this executor is safe to use on its own.
            let scrubbed = Redactor(values: secrets.allValues).scrub(RunError(type: error.type, message: error.message, step: request.step,
                                                                             attempt: request.attempt, details: error.details))
            return .failed(scrubbed, retryAfter: error.retryAfter)
        }
    }

    private func send(_ prepared: HTTPStepRequest, idempotencyKey: String) async throws(HTTPStepFailure) -> JSONValue {
        let target = "\(prepared.method) \(prepared.url)"
        var request = HTTPClientRequest(url: prepared.url)
        request.method = HTTPMethod(rawValue: prepared.method)
        for header in prepared.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        if !prepared.hasHeader("Idempotency-Key") { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if !prepared.hasHeader("User-Agent") { request.headers.add(name: "User-Agent", value: userAgent) }
        if let body = prepared.body { request.body = .bytes(ByteBuffer(bytes: body)) }

        let response: HTTPClientResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw HTTPStepFailure(Task.isCancelled ? .cancelled : error, target: target)
        }
        guard prepared.accepts(Int(response.status.code)) else {
            throw await statusFailure(response, target: target, expect: prepared.expect)
        }
        let body: ByteBuffer
        do {
            body = try await HTTPTransport.collect(response.body, limit: Self.responseLimit)
        } catch {
            throw HTTPStepFailure(Task.isCancelled ? .cancelled : error, target: target)
        }
        return HTTPResponseOutput.make(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
    }

    /// `http.status` for a status outside `expect`, with the status and the start of the body
    /// in `details`, and the server's `retry-after` on 429 and 503.
    private func statusFailure(_ response: HTTPClientResponse, target: String, expect: Set<Int>?) async -> HTTPStepFailure {
        let status = Int(response.status.code)
        let expected = expect.map { "one of " + $0.sorted().map(String.init).joined(separator: ", ") } ?? "2xx"
        let retryAfter = status == 429 || status == 503 ? RetryAfter.delay(in: response.headers) : nil
        let excerpt = await HTTPResponseExcerpt.read(response.body)
        return HTTPStepFailure(type: "http.status", message: "\(target) answered \(status) \(response.status.reasonPhrase); expected \(expected)",
                               details: ["status": .int(status), "body": .string(excerpt)], retryAfter: retryAfter)
    }
}
