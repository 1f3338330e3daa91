import ApexDSL
import ApexEngine

/// Evaluates an `http` step's fields into a request. Secrets are added to the roots here, at
/// call time, and never leave the request.
enum HTTPStepRequestBuilder {
    static func build(_ call: HTTPCall, request: ActivityRequest, secrets: Secrets) throws(HTTPStepFailure) -> HTTPStepRequest {
        var roots = request.context.roots
        roots["secrets"] = secrets.root
        let context = EvaluationContext(roots: roots)
        func evaluate(_ value: TemplateValue?) throws(HTTPStepFailure) -> JSONValue {
            guard let value else { return .null }
            do {
                return try value.evaluate(in: context)
            } catch {
                throw HTTPStepFailure(type: "expression", message: error.message)
            }
        }

        let method = call.method?.value ?? "GET"
        guard HTTPStepRequest.allowedMethods.contains(method) else {
            throw .invalidRequest("unknown HTTP method \"\(method)\"; use one of \(HTTPStepRequest.allowedMethods.sorted().joined(separator: ", "))")
        }
        let urlText = try evaluate(call.url).interpolated
        let query = try pairs(try evaluate(call.query), field: "query", repeatingLists: true)
        let url: String
        do {
            url = try URLBuilder.build(url: urlText, query: query)
        } catch {
            throw .invalidRequest("invalid URL: \(error.message)")
        }
        let headers = try pairs(try evaluate(call.headers), field: "headers", repeatingLists: false)
        for header in headers {
            try checkHeader(header)
        }
        var result = HTTPStepRequest(method: method, url: url, headers: headers, expect: call.expect.map { Set($0.map(\.value)) })
        if call.json != nil {
            result.body = Array(try evaluate(call.json).compactJSON.utf8)
            if !result.hasHeader("Content-Type") { result.headers.append(("Content-Type", "application/json")) }
        } else if call.body != nil {
            switch try evaluate(call.body) {
            case .null: break
            case .string(let text): result.body = Array(text.utf8)
            case let value: result.body = Array(value.compactJSON.utf8)
            }
        }
        return result
    }

    /// The name–value pairs of a `query` or `headers` mapping, values rendered as in
    /// interpolation. A null value leaves the entry out; with `repeatingLists`, a list value
    /// gives one pair per (non-null) element.
    private static func pairs(_ value: JSONValue, field: String, repeatingLists: Bool) throws(HTTPStepFailure) -> [(name: String, value: String)] {
        switch value {
        case .null:
            return []
        case .object(let members):
            var pairs: [(name: String, value: String)] = []
            for (name, value) in members {
                switch value {
                case .null: continue
                case .array(let items) where repeatingLists:
                    pairs += items.filter { !$0.isNull }.map { (name, $0.interpolated) }
                default:
                    pairs.append((name, value.interpolated))
                }
            }
            return pairs
        default:
            throw .invalidRequest("\"\(field)\" must be a mapping, but its value is of type \(value.typeName)")
        }
    }

    /// Refuses a header that would be malformed on the wire (or split into two headers).
    /// The message names the header, never its value.
    private static func checkHeader(_ header: (name: String, value: String)) throws(HTTPStepFailure) {
        let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)
        let validName = !header.name.isEmpty && header.name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || tokenSymbols.contains(byte)
        }
        guard validName else {
            throw .invalidRequest("\"\(header.name)\" is not a valid header name")
        }
        guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
            throw .invalidRequest("the value of header \"\(header.name)\" contains a line break")
        }
    }
}
