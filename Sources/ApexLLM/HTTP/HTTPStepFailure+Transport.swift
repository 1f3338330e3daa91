extension HTTPStepFailure {
    /// The failure for a request that got no complete response. `target` names the request
    /// (`GET https://…`) for the message; the caller scrubs it of secrets.
    init(_ error: TransportError, target: String) {
        switch error {
        case .invalidURL(let detail):
            self = .invalidRequest("\(target) cannot be requested: invalid URL (\(detail))")
        case .connection(let detail):
            self.init(type: "http.connection", message: "\(target) failed: \(Self.plainWords(detail))")
        case .timeout(let detail):
            // The step's own `timeout` ends the attempt with `timeout`; this is the transport's
            // limit (connecting, or a silent server), a connection failure like the others.
            self.init(type: "http.connection", message: "\(target) timed out (\(detail))")
        case .tooLarge(let limit):
            self.init(type: "http.too_large", message: "the response to \(target) is larger than the limit of \(limit / (1024 * 1024)) MiB")
        case .cancelled:
            self.init(type: "cancelled", message: "\(target) was cancelled")
        }
    }

    /// The usual socket and TLS failures in plain words, whatever layer reported them
    /// (`connect(descriptor:addr:size:): Connection refused (errno: 111)` → `connection refused`).
    private static func plainWords(_ detail: String) -> String {
        let lowered = detail.lowercased()
        let phrases: [(needle: String, words: String)] = [
            ("connection refused", "connection refused"),
            ("connection reset", "the connection was reset by the server"),
            ("broken pipe", "the connection was closed by the server"),
            ("ssl", "TLS failure (\(detail))"),
            ("tls", "TLS failure (\(detail))"),
            ("certificate", "TLS failure (\(detail))"),
            ("handshake", "TLS failure (\(detail))"),
            ("name resolution", "the host name could not be resolved (\(detail))"),
            ("lookup", "the host name could not be resolved (\(detail))"),
        ]
        return phrases.first { lowered.contains($0.needle) }?.words ?? detail
    }
}
