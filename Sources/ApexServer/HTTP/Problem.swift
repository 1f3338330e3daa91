import ApexDSL
import Foundation
import Hummingbird

/// An error answered as RFC 9457 problem details (`application/problem+json`). `type` is
/// stable (`https://apex.dev/problems/<slug>`): clients branch on it, never on `title` or
/// `detail`. Nothing else leaves the server for an error: no stack trace, no secret.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    /// The last part of `type`, e.g. `not-found`.
    public var slug: String
    public var title: String
    public var detail: String?
    /// Members beyond RFC 9457's own (e.g. `diagnostics`, `errors`).
    public var extensions: [String: JSONValue]
    /// Extra response headers (`WWW-Authenticate` on a 401).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String? = nil,
                extensions: [String: JSONValue] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    public static let typeBase = "https://apex.dev/problems/"

    public var type: String { Self.typeBase + slug }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(type)), ("title", .string(title)), ("status", .int(status.code))]
        if let detail { members.append(("detail", .string(detail))) }
        for (key, value) in extensions.sorted(by: { $0.key < $1.key }) { members.append((key, value)) }
        return .object(.init(uniqueKeysWithValues: members))
    }
}

extension Problem: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: json.compactJSON)))
    }
}

extension Problem {
    static func notFound(_ detail: String) -> Problem { Problem(.notFound, "not-found", "Not found", detail: detail) }
    static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, "bad-request", "Bad request", detail: detail) }
    static func conflict(_ slug: String, _ detail: String) -> Problem { Problem(.conflict, slug, "Conflict", detail: detail) }
}
