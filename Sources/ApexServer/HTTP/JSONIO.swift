import ApexDSL
import Foundation
import Hummingbird
import NIOCore

/// Request bodies in, JSON responses out.
enum JSONIO {
    /// The body as a JSON object (at most `limit` bytes): 413 past it, 400 when it is not one.
    static func body(_ request: Request, limit: Int) async throws -> JSONValue {
        try parse(try await rawBody(request, limit: limit))
    }

    /// `bytes` as a JSON object: 400 when they are not JSON or not an object.
    static func parse(_ bytes: ByteBuffer) throws -> JSONValue {
        let value: JSONValue
        do { value = try JSONValue(parsing: String(decoding: bytes.readableBytesView, as: UTF8.self)) } catch {
            throw Problem.badRequest("the body is not valid JSON: \(error)")
        }
        if value.objectValue == nil { throw Problem.badRequest("the body must be a JSON object") }
        return value
    }

    /// The body's bytes, at most `limit` of them (413 past it).
    static func rawBody(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do { return try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, "body-too-large", "Body too large", detail: "the body is larger than \(limit) bytes")
        }
    }

    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: value.compactJSON)))
    }

    /// `body[key]` as a string; 400 when present with another type, or missing and `required`.
    static func string(_ body: JSONValue, _ key: String, required: Bool = false) throws -> String? {
        switch body[key] {
        case nil, .null?:
            if required { throw Problem.badRequest("\"\(key)\" is required") }
            return nil
        case .string(let text)?: return text
        case let other?: throw Problem.badRequest("\"\(key)\" must be a string, not \(other.typeName)")
        }
    }

    /// Members of `body` that are not in `known`: 400, so that a misspelt member is not ignored.
    static func rejectUnknown(_ body: JSONValue, known: Set<String>) throws {
        let unknown = (body.objectValue?.keys ?? []).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw Problem.badRequest("unknown member(s) \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); expected \(known.sorted().joined(separator: ", "))")
        }
    }
}

extension Request {
    /// A query parameter as an integer in `range`; 400 otherwise.
    func intQuery(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A `true`/`false` query parameter, false when absent.
    func boolQuery(_ name: String) throws -> Bool {
        switch uri.queryParameters.get(name) {
        case nil, "false": return false
        case "true": return true
        default: throw Problem.badRequest("\(name) must be true or false")
        }
    }
}
