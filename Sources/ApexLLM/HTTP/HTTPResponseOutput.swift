import ApexDSL
import Foundation
import NIOHTTP1
import OrderedCollections

/// The output of an `http` step: `{status, headers, body}` (docs/language.md, "`http`").
///
/// - `headers` is an object with lowercased names; a header sent several times has its values
///   joined with ", ".
/// - `body` is the decoded JSON when the `Content-Type` is JSON (`application/json` or a
///   `+json` type) and the body parses; otherwise the body as text. Bytes that are not valid
///   UTF-8 are replaced by U+FFFD: a binary body is not kept faithfully. An empty body (as for
///   `HEAD` or `204`) is null.
///
/// The response is stored as the server sent it: a server that echoes a secret back puts it in
/// the output.
enum HTTPResponseOutput {
    static func make(status: Int, headers: HTTPHeaders, body: [UInt8]) -> JSONValue {
        [
            "status": .int(status),
            "headers": .object(object(of: headers)),
            "body": decode(body, contentType: headers.first(name: "content-type")),
        ]
    }

    static func object(of headers: HTTPHeaders) -> OrderedDictionary<String, JSONValue> {
        var values = OrderedDictionary<String, [String]>()
        for (name, value) in headers {
            values[name.lowercased(), default: []].append(value)
        }
        return values.mapValues { .string($0.joined(separator: ", ")) }
    }

    static func decode(_ body: [UInt8], contentType: String?) -> JSONValue {
        guard !body.isEmpty else { return .null }
        let text = String(decoding: body, as: UTF8.self)
        if let contentType, isJSON(contentType), let parsed = try? JSONValue(parsing: text) {
            return parsed
        }
        return .string(text)
    }

    /// Whether a `Content-Type` names JSON: `application/json`, or any `+json` type such as
    /// `application/problem+json`, whatever its parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }
}
