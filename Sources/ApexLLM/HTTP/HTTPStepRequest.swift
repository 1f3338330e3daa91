import ApexDSL

/// An `http` step's request with every field evaluated (docs/language.md, "`http`"). It may hold
/// secrets: it lives only for the call and is never stored.
struct HTTPStepRequest: Sendable {
    /// One of ``allowedMethods``.
    var method: String
    /// The absolute URL, with the query added.
    var url: String
    /// In the order written; the executor adds `Idempotency-Key` and `User-Agent` after them.
    var headers: [(name: String, value: String)]
    var body: [UInt8]?
    /// The statuses that count as success; nil means any 2xx.
    var expect: Set<Int>?

    static let allowedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// Whether a header of that name (case-insensitive) is set.
    func hasHeader(_ name: String) -> Bool {
        headers.contains { $0.name.lowercased() == name.lowercased() }
    }

    /// Whether `status` counts as success.
    func accepts(_ status: Int) -> Bool {
        expect?.contains(status) ?? (200..<300).contains(status)
    }
}
