import ApexDSL

/// Why an `http` step's attempt failed, before it becomes a `RunError` (scrubbed of secrets).
///
/// Types: `http.invalid_request` (the request cannot be made as written; not retried),
/// `http.status` (a status outside `expect`; retried for 408, 429, 5xx), `http.connection`
/// (no complete response; retried), `http.too_large` (the response is over the limit; not
/// retried), `expression` (a field failed to evaluate; not retried) and `cancelled`.
struct HTTPStepFailure: Error, Sendable {
    var type: String
    var message: String
    var details: JSONValue = .null
    /// A server's `retry-after`, which raises the back-off.
    var retryAfter: Duration?

    static func invalidRequest(_ message: String) -> HTTPStepFailure {
        HTTPStepFailure(type: "http.invalid_request", message: message)
    }
}
