import ApexDSL
import OrderedCollections

/// An error as runs record it (docs/language.md, "Errors and `catch`"): `{type, message, step, attempt, details}`.
public struct RunError: Sendable, Hashable, Error, CustomStringConvertible {
    public var type: String
    public var message: String
    public var step: String?
    public var attempt: Int?
    public var details: JSONValue

    public init(type: String, message: String, step: String? = nil, attempt: Int? = nil, details: JSONValue = .null) {
        self.type = type
        self.message = message
        self.step = step
        self.attempt = attempt
        self.details = details
    }

    public var description: String { "\(type): \(message)" }

    public var json: JSONValue {
        var object: OrderedDictionary<String, JSONValue> = ["type": .string(type), "message": .string(message)]
        object["step"] = step.map(JSONValue.string) ?? .null
        object["attempt"] = attempt.map(JSONValue.int) ?? .null
        object["details"] = details
        return .object(object)
    }

    public init(json: JSONValue) throws(HistoryFormatError) {
        guard let type = json["type"]?.stringValue, let message = json["message"]?.stringValue else {
            throw HistoryFormatError("an error needs \"type\" and \"message\"")
        }
        self.init(type: type, message: message, step: json["step"]?.stringValue,
                  attempt: json["attempt"].flatMap { if case .int(let i) = $0 { i } else { nil } },
                  details: json["details"] ?? .null)
    }
}

/// Token counts of an LLM call.
public struct Usage: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public var json: JSONValue { ["input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens)] }

    public static func + (a: Usage, b: Usage) -> Usage {
        Usage(inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens)
    }
}
